/* opts.c - scan option defaults and string lists. */
#include "opts.h"
#include "limits.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

void str_list_add(str_list *l, const char *s)
{
    XGROW(l->v, l->cap, l->n + 1);
    l->v[l->n++] = xstrdup(s);
}

void str_list_free(str_list *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

int str_list_has(const str_list *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0) return 1;
    return 0;
}

void opts_init(vg_opts *o)
{
    memset(o, 0, sizeof *o);
    o->max_file_size = VG_MAX_FILE_SIZE_DEFAULT;
    o->min_severity = SEV_LOW;
    o->fail_on = SEV_LOW;
    o->min_confidence = CONF_LOW;
    o->format = "text";
    o->pii_threshold = 0.5;
    o->pii_enabled = 1;
    o->taint_enabled = 1;
}

void opts_free(vg_opts *o)
{
    str_list_free(&o->paths);
    str_list_free(&o->exclude);
    str_list_free(&o->select);
    str_list_free(&o->bandit_tmp_dirs);
    str_list_free(&o->bandit_subprocess);
    str_list_free(&o->bandit_shell);
    str_list_free(&o->bandit_no_shell);
    str_list_free(&o->ignore);
    str_list_free(&o->secrets_allowlist);
    str_list_free(&o->pii_entities);
    str_list_free(&o->dep_allowlist);
    str_list_free(&o->dep_requirements);
    for (size_t i = 0; i < o->n_per_file_ignores; i++) {
        free(o->per_file_ignores[i].glob);
        str_list_free(&o->per_file_ignores[i].ids);
    }
    free(o->per_file_ignores);
    o->per_file_ignores = NULL;
    o->n_per_file_ignores = 0;
    for (size_t i = 0; i < o->n_subtrees; i++) {
        vg_subtree *t = &o->subtrees[i];
        free(t->dir);
        free(t->config_path);
        str_list_free(&t->select);
        str_list_free(&t->ignore);
        for (size_t k = 0; k < t->n_per_file_ignores; k++) {
            free(t->per_file_ignores[k].glob);
            str_list_free(&t->per_file_ignores[k].ids);
        }
        free(t->per_file_ignores);
    }
    free(o->subtrees);
    o->subtrees = NULL;
    o->n_subtrees = 0;
}
