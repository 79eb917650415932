/* block.c - the look-ups rules make through a block of statements, indexed
 * once per block (see block_index in rules.h).
 *
 * A rule asking "the last `x = ...` before this line" or "is there an
 * earlier guard of x in this block" used to read the block from its start
 * each time: one long handler with a sink per statement was quadratic (up
 * to RULES_SCAN_STMTS statements read per look-up).  Each block is now read
 * once into sorted arrays, and a look-up is a binary search.  The answers
 * are the scans' answers: the same statements (the first RULES_SCAN_STMTS,
 * the prefix up to the first one past the name's line) are considered.
 */
#include "rules.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void count(rule_ctx *c, size_t n)
{
    if (c->work) *c->work += n;
}

static int cmp_assign(const void *a, const void *b)
{
    const block_assign *x = a, *y = b;
    uintptr_t p = (uintptr_t)x->id, q = (uintptr_t)y->id;
    if (p != q) return p < q ? -1 : 1;
    return (x->at > y->at) - (x->at < y->at);
}

void block_sort(block_assign *v, size_t n)
{
    if (n > 1) qsort(v, n, sizeof *v, cmp_assign);
}

static size_t slot(const void *p, size_t cap) { return ((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull % cap; }

static block_index *build(rule_ctx *c, const py_list *block)
{
    block_index *b = arena_alloc(c->a, sizeof *b);
    int n = block->n < RULES_SCAN_STMTS ? block->n : RULES_SCAN_STMTS;
    b->block = block;
    b->n = n;
    b->maxline = arena_alloc_n(c->a, n ? (size_t)n : 1, sizeof *b->maxline);
    b->pos_cap = 16;
    while (b->pos_cap < (size_t)n * 2) b->pos_cap *= 2;
    b->pos = arena_alloc_n(c->a, b->pos_cap, sizeof *b->pos);
    size_t nas = 0;
    for (int i = 0; i < n; i++) {
        const py_node *s = block->v[i];
        b->maxline[i] = i && b->maxline[i - 1] > s->lineno ? b->maxline[i - 1] : s->lineno;
        size_t j = slot(s, b->pos_cap);
        while (b->pos[j].s) j = (j + 1) & (b->pos_cap - 1);
        b->pos[j].s = s, b->pos[j].at = i;
        nas += s->kind == PY_Assign && s->assign.targets.n == 1 && s->assign.targets.v[0]->kind == PY_Name;
    }
    b->as = arena_alloc_n(c->a, nas ? nas : 1, sizeof *b->as);
    for (int i = 0; i < n; i++) {
        const py_node *s = block->v[i];
        if (s->kind == PY_Assign && s->assign.targets.n == 1 && s->assign.targets.v[0]->kind == PY_Name)
            b->as[b->nas++] = (block_assign){s->assign.targets.v[0]->name.id, i, s->assign.value};
    }
    block_sort(b->as, b->nas);
    count(c, (size_t)n);
    return b;
}

block_index *block_index_of(rule_ctx *c, const py_list *block)
{
    if ((c->bix_n + 1) * 2 > c->bix_cap) {
        size_t nc = c->bix_cap ? c->bix_cap * 2 : 64;
        block_index **m = arena_alloc_n(c->a, nc, sizeof *m);
        for (size_t i = 0; i < c->bix_cap; i++)
            if (c->bix[i]) {
                size_t j = slot(c->bix[i]->block, nc);
                while (m[j]) j = (j + 1) & (nc - 1);
                m[j] = c->bix[i];
            }
        c->bix = m, c->bix_cap = nc;
    }
    size_t j = slot(block, c->bix_cap);
    while (c->bix[j] && c->bix[j]->block != block) j = (j + 1) & (c->bix_cap - 1);
    if (!c->bix[j]) {
        c->bix[j] = build(c, block);
        c->bix_n++;
    }
    count(c, 1);
    return c->bix[j];
}

/* The first entry of v[0..n) not before (id, at). */
static size_t lower_bound(const block_assign *v, size_t n, const char *id, int at)
{
    block_assign key = {id, at, NULL};
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_assign(&v[mid], &key) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

int block_has_before(const block_assign *v, size_t n, const char *id, int limit)
{
    size_t k = lower_bound(v, n, id, 0);
    return k < n && v[k].id == id && v[k].at < limit;
}

const py_node *block_last_assign(rule_ctx *c, const py_list *block, const py_node *e,
                                 const py_node *skip)
{
    block_index *b = block_index_of(c, block);
    /* the statements read: those before the first one past e's line */
    int lo = 0, hi = b->n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (b->maxline[mid] <= e->lineno) lo = mid + 1;
        else hi = mid;
    }
    size_t k = lower_bound(b->as, b->nas, e->name.id, lo);
    while (k > 0 && b->as[k - 1].id == e->name.id) {
        count(c, 1);
        if (!skip || b->as[k - 1].value != skip) return b->as[k - 1].value;
        k--;
    }
    return e;
}

int block_stmt_at(rule_ctx *c, const py_list *block, const py_node *s)
{
    block_index *b = block_index_of(c, block);
    size_t j = slot(s, b->pos_cap);
    while (b->pos[j].s && b->pos[j].s != s) j = (j + 1) & (b->pos_cap - 1);
    return b->pos[j].s ? b->pos[j].at : b->n;
}
