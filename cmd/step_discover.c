/* step_discover.c: discovery shared by the phases: discovered.json read and updated, and the plan
 * resolved again, under OUTDIR/.wbgen.lock (see step_state.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "discovered.h"
#include "fsutil.h"
#include "run_command.h"
#include "sha256.h"
#include "step_state.h"
#include "strlist.h"
#include "util.h"

/* Run `wbgen resolve` again, as resolve-args.json says, its output appended to log. */
static int resolve_again(const char *log, struct buf *err)
{
	json_t *v = json_load_file("resolve-args.json", 0, NULL), *args = json_object_get(v, "argv");
	const char *cwd = json_string_value(json_object_get(v, "cwd"));
	json_int_t now = json_integer_value(json_object_get(v, "time"));
	/* min_release_age is measured from the first resolve's time */
	char *nowtext = now > 0 ? xasprintf("WBGEN_RESOLVE_TIME=%lld", (long long)now) : NULL;
	const char *env[] = { "WBGEN_LOCK_HELD=1", nowtext ? nowtext : "WBGEN_RESOLVE_TIME", NULL };
	const char *wbgen = getenv("WBGEN");
	const char **argv;
	struct child_process cp;
	size_t i, n = json_array_size(args);
	int fd = -1, r = -1;

	if (!cwd || !json_is_array(args)) {
		buf_adds(err, "resolve-args.json is missing or unreadable: run wbgen resolve again");
		json_decref(v);
		free(nowtext);
		return -1;
	}
	argv = xcalloc(n + 3, sizeof(*argv));
	argv[0] = "wbgen";
	argv[1] = "resolve";
	for (i = 0; i < n; i++)
		if (!(argv[i + 2] = json_string_value(json_array_get(args, i)))) {
			buf_adds(err, "resolve-args.json: an argument is not a string");
			goto out;
		}
	fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	child_process_init(&cp);
	cp.argv = argv;
	/* wbgen itself: the Makefile exports WBGEN (this may be wbgen-step) */
	cp.program = wbgen && *wbgen ? wbgen : "/proc/self/exe";
	cp.env = env;
	cp.dir = cwd;
	cp.no_stdin = 1;
	cp.out = cp.err = fd;
	if (fd >= 0 && start_command(&cp) == 0) {
		r = finish_command(&cp);
		if (r < 0)
			die("waitpid:");
		r = r == 0 ? 0 : -1;
	}
	if (r < 0)
		buf_addf(err, "resolving the discovered requirements failed (wbgen resolve, run in %s): see the log", cwd);
out:
	if (fd >= 0)
		close(fd);
	free(argv);
	free(nowtext);
	json_decref(v);
	return r;
}

/* Non-zero when the plan was made from the current discovered.json (see cmd/resolve.c). */
static int resolved_current(void)
{
	struct buf d = BUF_INIT, m = BUF_INIT;
	int r;

	if (sha256_file_hex("discovered.json", &d) < 0)
		buf_adds(&d, "none");
	buf_addch(&d, '\n');
	r = buf_read_file(&m, ".wbgen-resolved") == 0 && strcmp(m.s, d.s) == 0;
	buf_release(&d);
	buf_release(&m);
	return r;
}

/* The sorted requirement texts of name==version's entries of req_type in d. */
static void entries_of(const struct discovered *d, const char *name, const struct version *v, const char *req_type,
		       struct strlist *out)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->v[i].name, name) == 0 && version_cmp(&d->v[i].v, v) == 0 &&
		    strcmp(req_type_name(d->v[i].type), req_type) == 0)
			strlist_add(out, d->v[i].req.text);
	strlist_sort(out);
}

/* Write discovered.json's new text cur, which adds an answer and no requirement, and record that
 * the plan (made from the old one) is current: the resolver does not read the answers. */
static int record_answer(const struct buf *cur, struct buf *err)
{
	struct buf d = BUF_INIT;
	int r = -1;

	if (write_file("discovered.json", cur->s, cur->len, WRITE_IF_CHANGED) < 0) {
		buf_addf(err, "cannot write discovered.json: %s", strerror(errno));
	} else if (sha256_file_hex("discovered.json", &d) < 0) {
		buf_addf(err, "cannot read discovered.json: %s", strerror(errno));
	} else {
		buf_addch(&d, '\n');
		if (write_file(".wbgen-resolved", d.s, d.len, WRITE_IF_CHANGED) < 0)
			buf_addf(err, "cannot write .wbgen-resolved: %s", strerror(errno));
		else
			r = 0;
	}
	buf_release(&d);
	return r;
}

int step_discovered_known(const char *name, const char *version, const char *req_type, struct strlist *reqs)
{
	struct discovered d;
	struct version want;
	struct buf err = BUF_INIT;
	int fd = step_lock(".wbgen.lock"), r = 0;

	discovered_init(&d);
	version_init(&want);
	if (discovered_load(&d, "discovered.json", &err) == 0 && version_parse(version, &want) == 0 &&
	    discovered_answered(&d, name, version, req_type) && path_exists("plan.json") && resolved_current()) {
		entries_of(&d, name, &want, req_type, reqs);
		r = 1;
	}
	close(fd);
	buf_release(&err);
	version_release(&want);
	discovered_release(&d);
	return r;
}

static int same_list(const struct strlist *a, const struct strlist *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return 0;
	return 1;
}

int step_discovered_update(const char *name, const char *version, const char *req_type,
			   const struct strlist *reqs, const char *log, struct buf *news, struct buf *err)
{
	struct discovered old, nu;
	struct version want;
	struct strlist had = STRLIST_INIT, have = STRLIST_INIT;
	struct buf before = BUF_INIT, after = BUF_INIT;
	json_t *j = NULL;
	char *text = NULL;
	struct buf cur = BUF_INIT;
	int fd = step_lock(".wbgen.lock"), r = -1;
	size_t i;

	discovered_init(&old);
	discovered_init(&nu);
	version_init(&want);
	if (discovered_load(&old, "discovered.json", err) < 0)
		goto out;
	if (version_parse(version, &want) < 0) {
		buf_addf(err, "invalid version '%s'", version);
		goto out;
	}
	for (i = 0; i < old.answered.n; i++)
		strlist_add(&nu.answered, old.answered.v[i]);
	if (discovered_answer(&nu, name, version, req_type, err) < 0)
		goto out;
	for (i = 0; i < old.n; i++) {
		const struct discovered_req *e = &old.v[i];

		if (strcmp(e->name, name) == 0 && version_cmp(&e->v, &want) == 0 &&
		    strcmp(req_type_name(e->type), req_type) == 0)
			continue;
		if (discovered_add(&nu, e->name, e->version, req_type_name(e->type), e->req.text, err) < 0)
			goto out;
	}
	for (i = 0; i < reqs->n; i++)
		if (discovered_add(&nu, name, version, req_type, reqs->v[i], err) < 0) {
			buf_addf(err, " (returned for %s %s)", name, version);
			goto out;
		}
	entries_of(&old, name, &want, req_type, &had);
	entries_of(&nu, name, &want, req_type, &have);
	for (i = 0; i < have.n; i++)
		if (strlist_find(&had, have.v[i]) < 0)
			buf_addf(news, "%s%s", news->len ? ", " : "", have.v[i]);
	j = discovered_to_json(&nu);
	text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	buf_adds(&cur, text);
	buf_addch(&cur, '\n');
	if (same_list(&had, &have) && path_exists("plan.json") && resolved_current()) {
		/* what the plan was made from: nothing to resolve. A first answer is recorded (the
		 * resolver does not read which answers there are: the plan stays current) */
		if (!discovered_answered(&old, name, version, req_type) && record_answer(&cur, err) < 0)
			goto out;
		r = 0;
		goto out;
	}
	if (write_file("discovered.json", cur.s, cur.len, WRITE_IF_CHANGED) < 0) {
		buf_addf(err, "cannot write discovered.json: %s", strerror(errno));
		goto out;
	}
	if (sha256_file_hex("Makefile", &before) < 0)
		buf_setlen(&before, 0);
	if (resolve_again(log, err) < 0)
		goto out;
	if (sha256_file_hex("Makefile", &after) < 0)
		buf_setlen(&after, 0);
	r = strcmp(before.s, after.s) != 0;
out:
	close(fd);
	free(text);
	json_decref(j);
	buf_release(&cur);
	buf_release(&before);
	buf_release(&after);
	strlist_release(&had);
	strlist_release(&have);
	version_release(&want);
	discovered_release(&old);
	discovered_release(&nu);
	return r;
}
