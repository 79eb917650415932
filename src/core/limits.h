/* limits.h - every cap vibeguard puts on what hostile input can grow, in
 * one place (Lua's llimits.h).
 *
 * A scanned tree, a config file, a manifest, a vault or an OSV database is
 * input an attacker may write.  Each buffer, nesting depth, count and file
 * size it can drive has a cap here, with what happens at the cap: an error
 * or a warning (never a crash or a stack overflow), or a documented
 * truncation.  Change a cap here, not in the module that applies it; a
 * module that needs a new one adds it here, in its own section.
 */
#ifndef VG_LIMITS_H
#define VG_LIMITS_H

/* ---- the scan (core/opts, scan, walk) ---- */
#define VG_MAX_FILE_SIZE_DEFAULT (5u << 20) /* --max-file-size default; larger files are skipped */
#define VG_MAX_JOBS 256                     /* worker threads; --jobs above it is lowered to it */
#define VG_BINARY_PROBE 8192                /* bytes read to tell text from binary (a NUL) */
#define KIND_SHEBANG_MAX 256                /* bytes of a first "#!" line looked at for python */
#define WALK_MAX_IGNORE_FILE ((size_t)1 << 20) /* a .gitignore larger than this is not read */
#define WALK_MAX_REL 4000                   /* bytes of a path below the root; deeper is skipped */
#define WALK_MAX_ANCESTORS 256              /* directories above the root searched for .git */

#define HISTORY_OBJECT_MAX ((size_t)64 << 20) /* bytes of a loose commit or tree --history verifies */

/* ---- globs and ignore files (core/glob, walk/ignore) ---- */
#define GLOB_MAX_LINE 4096          /* bytes in one pattern line; longer ones hold no pattern */
#define GLOB_MAX_PATH 4096          /* bytes of a path glob_covers tests; longer never match */
#define GLOB_MEMO_AFTER 2000UL      /* wildmatch steps before results are memoised */
#define GLOB_BUDGET 2000000UL       /* wildmatch steps; past it the answer is "no match" */
#define IGNORE_MAX_PATTERNS 100000  /* patterns in one ignore list; later lines are dropped */

/* ---- diagnostics ---- */
#define DIAG_MSG_MAX 256            /* bytes of one lexer, parser or TOML message; cut there */

/* ---- reports (report/) ---- */
#define BASELINE_MAX ((size_t)256 << 20) /* bytes of a baseline file read back */

/* ---- findings (finding/) ---- */
#define FINDING_SNIPPET_LINES 5     /* source lines in a snippet; longer spans are cut */
#define FINDING_LINE_MAX 400        /* bytes of one snippet line; the rest is cut */

/* ---- Python (python/) ---- */
#define PY_MAX_FILE (256 << 20)     /* bytes; a bigger file is one parse error */
#define PY_MAX_ERRORS 100          /* syntax errors listed per file; then "and N more" */
#define PY_MAX_DEPTH 200            /* brackets, blocks and operators nested (CPython: 200) */
#define LEX_MAX_PAREN 200           /* open brackets; more is "too many nested parentheses" */
#define LEX_MAX_INDENT 100          /* indentation levels; more is "too many levels" */
#define LEX_MAX_FSTRING_DEPTH 32    /* f-strings nested in replacement fields */
#define STRLIT_MAX_NAME 256         /* bytes of a \N{...} character name; longer is an error */
#define RESOLVE_MAX_DEPTH 16        /* alias chains followed (a = b; b = c; ...) */
#define DUMP_MAX_DEPTH 2000         /* AST depth ast.dump renders */

/* ---- Python rules (rules/) ---- */
#define RULES_SCAN_STMTS 4096       /* statements one body look-up reads (no quadratic scans) */
#define RULES_MAX_WORDS 12          /* words an identifier is split into; the rest is ignored */
#define RULES_MAX_WORD 32           /* bytes of one such word, with its NUL; longer are cut */
#define LLM_MAX_TAINTED 64          /* names bound to LLM output tracked in one function */
#define LLM_MAX_WORDS 8             /* words taint/llm.c splits a name into; the rest is ignored */
#define LLM_MAX_WORD 32             /* bytes of one such word, with its NUL; longer are cut */
#define LLM_MAX_TOOLFNS 16          /* functions registered as agent tools, per module (taint/llm.c) */

/* ---- taint (taint/) ---- */
#define TAINT_MAX_DEPTH 6           /* nested summary computations; deeper calls are opaque */
#define TAINT_MAX_TRAIL 14          /* steps kept on one path; later steps are dropped */
#define TAINT_MAX_EVAL_DEPTH 150    /* expression recursion (the parser caps nesting at 200) */
#define TAINT_MAX_FUNCS 4096        /* functions of one module analysed; the rest are skipped */
#define TAINT_MAX_ROUNDS 4          /* cross-module rounds of the finish phase */
#define TAINT_MAX_RECORDS (1u << 20) /* summary records per kind; past it records are dropped */

/* ---- text: Hyperscan, secrets, PII, hidden Unicode (text/) ---- */
#define SCAN_MAX_HITS (1u << 20)    /* hits of one family in one buffer; the rest are dropped
                                       (a secrets flood makes the file incomplete: gate fails) */
#define SCAN_WIDEN_LIMIT 24u        /* counted repeats above this compile as open-ended */
#define SCAN_BLOCK (1u << 30)       /* bytes given to one hs_scan; a match across blocks is lost */
#define SCAN_CACHE_MAX ((size_t)1 << 30) /* bytes of a cached database read back */
#define SCAN_CACHE_KEEP 8           /* compiled databases kept in the cache directory */
#define CTXCACHE_MAX ((size_t)256 << 20) /* bytes of a context cache (scan/ctxcache.h) */
#define CTXCACHE_KEEP 16            /* context caches (one per root and rule set) kept */
#define SECRETS_MAX_CONFIG (4u << 20) /* bytes of a gitleaks config (--secrets-config) */
#define SECRETS_MAX_RULES 4096      /* rules in the built-in set plus user configs */
#define SECRETS_MATCH_LIMIT 200000  /* PCRE2 match limit of one confirmation */
#define SECRETS_DEPTH_LIMIT 10000   /* PCRE2 backtracking depth limit of one confirmation */
#define SECRETS_LIMIT_STRIKES 4     /* confirmations at a limit before a rule stops on a file */
#define SECRETS_SPAN_BACK 16384     /* bytes before a hit a confirmation may start */
#define SECRETS_SPAN_FWD 256        /* bytes after a hit a confirmation may end */
#define SECRETS_SPAN_DEFAULT 1024   /* longest match of a built-in rule without maxSpan */
#define SECRETS_MAX_MATCHES 2000    /* matches of one buffer; a file of a million keys in part */
#define SECRETS_MAX_FINDINGS 200    /* secret findings per file in a scan */
#define PII_CONTEXT_BACK 256        /* bytes before a match searched for context words */
#define PII_GATE_JOIN 0             /* digit-gated PII scan: ranges this close are joined (they
                                       are scanned end to end in one call: no gain in joining) */
#define UNICODE_INJECT_MAX (1u << 20) /* bytes of an agent file searched for injected text */
#define UNICODE_MSG_MAX 4096        /* bytes of one hidden-Unicode finding message */
#define UNICODE_HIDDEN_MAX 1024     /* bytes of decoded hidden text held */
#define UNICODE_HIDDEN_SHOWN 400    /* bytes of decoded hidden text quoted in a message */

/* ---- redact, restore, vault (redact/) ---- */
#define REDACT_BLOCK (256u << 10)   /* bytes read at a time while streaming */
#define REDACT_MAX_BLOCK (1u << 20) /* bytes of one block; a longer line is cut there */
#define REDACT_MAX_JOBS 64          /* worker threads of one redact */
#define PH_MAX_ENTRIES (1u << 20)   /* placeholders in one map (vault) */
#define PH_MAX_LABEL 48             /* bytes of a placeholder label */
#define PH_MAX_PLACEHOLDER 96       /* bytes of the longest "<LABEL_N>" */
#define VAULT_MAX ((size_t)256 << 20) /* bytes of a vault file */

/* ---- dependencies (deps/) ---- */
#define MANIFEST_MAX_BYTES (16u << 20) /* bytes of one manifest or lockfile */
#define MANIFEST_MAX_DEPS 100000    /* dependencies in one manifest; the rest are dropped */
#define MANIFEST_MAX_ISSUES 10000   /* issues (unpinned, unsafe source...) in one manifest */
#define DEP_MAX_NAME 214            /* bytes of a package name (npm's limit) */
#define LIC_MAX_EXPR 1024           /* bytes of a declared licence read as an expression */
#define LIC_MAX_DEPTH 32            /* parentheses nested in a licence expression */
#define LIC_MAX_MARKS 8             /* licence markers kept per source file */
#define LIC_HEADER_WINDOW 400       /* bytes after a licence notice searched for its version */
#define REQ_MAX_LINE 65536          /* bytes of a joined requirements line; longer is skipped */
#define REQ_MAX_INCLUDE_DEPTH 4     /* -r/-c files followed from a requirements file */
#define NPM_MAX_DEPTH 64            /* nesting of an npm lockfile */
#define YJ_MAX_DEPTH 64             /* nesting of a YAML document (flow [ { checked before libyaml) */
#define YJ_MAX_NODES 4000000        /* YAML nodes after alias expansion */
#define PEP440_MAX_REL 16           /* release components of a version (1.2.3...) */
#define PEP440_MAX_TEXT 96          /* bytes of a version's text and local part */
#define PEP440_LEG_MAX_PARTS 48     /* parts of a legacy (pre-PEP 440) version */
#define PEP440_LEG_PART 24          /* bytes of one legacy part */
#define SEMVER_NUM 40               /* bytes of one numeric semver field */
#define SEMVER_PRE 96               /* bytes of a semver pre-release or build tag */
#define OSV_MAX_RECORD (32u << 20)  /* bytes of one OSV record file */
#define OSV_MAX_DEPTH 16            /* directory nesting of an OSV database */
#define OSV_MAX_EVENTS 64           /* events in one affected range */
#define VG_OSV_STALE_DAYS 30        /* advisory data older than this: a warning in every deps report */
#define OSV_MAX_TOKEN 128           /* bytes of one version or name token in the index */
#define OSV_SUMMARY_MAX 200         /* bytes of an advisory summary kept */
#define DEPS_SUMMARY_CUT 160        /* bytes of a summary quoted in a message (cut at a word) */
#define UPDATE_MAX_BYTES (1024ull << 20) /* bytes of one download (deps --update-db) */
#define OSV_ONLINE_BATCH 1000       /* queries in one OSV querybatch request (the API's own limit) */
#define OSV_ONLINE_PAGES 8          /* follow-up pages of one querybatch answer */
#define OSV_ONLINE_MAX_IDS 5000     /* advisory records fetched in one audit */
#define OSV_ONLINE_MAX_BYTES (16u << 20) /* bytes of one OSV API answer */
#define OSV_ONLINE_TIMEOUT 30       /* seconds for one OSV API request (VIBEGUARD_OSV_TIMEOUT) */

/* ---- the threat model (scan/threat*.c) ---- */
#define THREAT_MAX_FILES 50000      /* files of one project read for the model */
#define THREAT_MAX_ELEMENTS 5000    /* elements of one model (look-ups are linear) */
#define THREAT_MAX_FLOWS 20000      /* flows of one model */
#define THREAT_MAX_PARAMS 64        /* parameters of one route */
#define THREAT_MAX_DATA 16          /* names listed as what is sent to one service */
#define THREAT_HTML_MAX_NODES 400   /* elements the HTML diagram draws (report/html_threat.c) */
#define THREAT_HTML_MAX_FLOWS 2000  /* flows it draws (placing labels is quadratic) */

/* ---- formats (fmt/) ---- */
#define TOML_MAX_INPUT ((size_t)64 << 20) /* bytes of a TOML document */
#define TOML_MAX_DEPTH 64           /* nesting of tables, arrays and dotted keys */
#define JSONW_MAX_DEPTH 64          /* nesting the JSON writer accepts */

/* ---- the command line (cli/) ---- */
#define CONFIG_MAX_BYTES (4u << 20) /* bytes of .vibeguard.toml or pyproject.toml */
#define BANDIT_LIST_MAX 1024        /* items of one Bandit config list (exclude_dirs, tmp_dirs...) */
#define PII_MAX_INPUT ((size_t)512 << 20) /* bytes 'vibeguard pii' reads */

#endif
