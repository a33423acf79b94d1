/* Names of route tables, protocols, scopes, realms and DS fields as ip
 * prints them: its built-in ones (libnl's where they agree), then the
 * files in /etc/iproute2, read lazily. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/rtnetlink.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <netlink/route/rtnl.h>
#include "netjoin/num.h"
#include "netjoin/out_route.h"
#include "netjoin/vec.h"
#include "spellings.h"

#define NAME_MAX_LEN 128

/* --- ip's name files --- */

struct name {
	uint32_t id;
	char *name;
};

struct names_db {
	const char *file, *confdir; /* confdir: its *.conf files too */
	uint32_t max;               /* larger ids are ignored */
	bool loaded;
	struct name *v;
	size_t n, cap;
};

#define DB(f, d, m) { .file = (f), .confdir = (d), .max = (m) }
static struct names_db db_tables = DB("rt_tables", "rt_tables.d", UINT32_MAX);
static struct names_db db_protos = DB("rt_protos", "rt_protos.d", 255);
static struct names_db db_scopes = DB("rt_scopes", NULL, 255);
static struct names_db db_realms = DB("rt_realms", NULL, 255);
static struct names_db db_dsfield = DB("rt_dsfield", NULL, 255);
static struct names_db *const dbs[] = {
	&db_tables, &db_protos, &db_scopes, &db_realms, &db_dsfield,
};
static char names_dir_buf[PATH_MAX];
static const char *names_dir_path = "/etc/iproute2";

int route_names_parse_line(const char *s, uint32_t *id, char *name,
			   size_t sz)
{
	unsigned long long v = 0;
	bool neg = false, any = false;
	size_t n;

	s += strspn(s, " \t");
	if (*s == '#' || *s == '\n' || *s == '\0')
		return 0;
	if (s[0] == '0' && s[1] == 'x' && isxdigit((unsigned char)s[2])) {
		for (s += 2; isxdigit((unsigned char)*s) && v <= UINT32_MAX;
		     s++)
			v = v * 16 + (uint64_t)(isdigit((unsigned char)*s)
				      ? *s - '0' : (*s | 0x20) - 'a' + 10);
		any = true;
	} else {
		if (*s == '-' || *s == '+')
			neg = *s++ == '-';
		n = strspn(s, "0123456789");
		if (num_parse(s, n, UINT32_MAX, &v) < 0)
			return -EINVAL;
		s += n;
		any = true;
	}
	if (!any || v > UINT32_MAX)
		return -EINVAL;
	/* like sscanf's " %s": any white space, then one word */
	s += strspn(s, " \t\n\v\f\r");
	n = strcspn(s, " \t\n\v\f\r");
	if (n == 0 || n >= sz)
		return -EINVAL;
	if (neg && v) /* ip skips negative ids */
		return 0;
	memcpy(name, s, n);
	name[n] = '\0';
	*id = (uint32_t)v;
	return 1;
}

static void db_add(struct names_db *db, uint32_t id, const char *name)
{
	char *copy;

	if (id > db->max)
		return;
	if (vec_reserve((void **)&db->v, &db->cap, db->n + 1, sizeof(*db->v),
			16) < 0)
		return; /* a name less: the number is printed */
	copy = strdup(name);
	if (copy)
		db->v[db->n++] = (struct name){ id, copy };
}

static void db_read_file(struct names_db *db, const char *path)
{
	char line[512], name[NAME_MAX_LEN];
	uint32_t id;
	FILE *f = fopen(path, "re");
	int r;

	if (!f)
		return;
	/* ip reads 512-byte pieces and stops at the first bad line */
	while (fgets(line, sizeof(line), f)) {
		r = route_names_parse_line(line, &id, name, sizeof(name));
		if (r < 0)
			break;
		if (r > 0)
			db_add(db, id, name);
	}
	fclose(f);
}

static void db_load(struct names_db *db)
{
	char path[PATH_MAX + 256];
	struct dirent *de;
	size_t len;
	DIR *dir;

	db->loaded = true;
	snprintf(path, sizeof(path), "%s/%s", names_dir_path, db->file);
	db_read_file(db, path);
	if (!db->confdir)
		return;
	snprintf(path, sizeof(path), "%s/%s", names_dir_path, db->confdir);
	dir = opendir(path);
	if (!dir)
		return;
	while ((de = readdir(dir))) { /* in readdir's order, as ip */
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= 5 ||
		    strcmp(de->d_name + len - 5, ".conf"))
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", names_dir_path,
			 db->confdir, de->d_name);
		db_read_file(db, path);
	}
	closedir(dir);
}

/* The file's name for id, the last one given; NULL if none (or the
 * files were not loaded: a writer reads no file). */
static const char *db_name(struct names_db *db, uint32_t id)
{
	size_t i;

	for (i = db->n; i-- > 0;)
		if (db->v[i].id == id)
			return db->v[i].name;
	return NULL;
}

void route_names_load(void)
{
	size_t i;

	for (i = 0; i < sizeof(dbs) / sizeof(dbs[0]); i++)
		if (!dbs[i]->loaded)
			db_load(dbs[i]);
}

void route_names_dir(const char *dir)
{
	size_t i, j;

	for (i = 0; i < sizeof(dbs) / sizeof(dbs[0]); i++) {
		for (j = 0; j < dbs[i]->n; j++)
			free(dbs[i]->v[j].name);
		free(dbs[i]->v);
		dbs[i]->v = NULL;
		dbs[i]->n = dbs[i]->cap = 0;
		dbs[i]->loaded = false;
	}
	snprintf(names_dir_buf, sizeof(names_dir_buf), "%s",
		 dir ? dir : "/etc/iproute2");
	names_dir_path = names_dir_buf;
	route_names_load();
}

/* libnl writes "0x.." for what it cannot name */
const char *route_libnl_name(const char *s)
{
	return *s && strncmp(s, "0x", 2) ? s : NULL;
}

const char *route_number(char *buf, size_t sz, const char *fmt,
			 unsigned int v)
{
	snprintf(buf, sz, fmt, v);
	return buf;
}

/* The files name tables first; ip knows default, main, local (libnl also
 * unspec and compat, which ip prints as numbers). */
const char *route_table_name(uint32_t id, char *buf, size_t sz)
{
	const char *s = db_name(&db_tables, id);

	if (s)
		return s;
	if (id >= RT_TABLE_DEFAULT && id <= RT_TABLE_LOCAL)
		return rtnl_route_table2str((int)id, buf, sz);
	return route_number(buf, sz, "%u", id);
}


/* ip's own names first; the files only for the others */
const char *route_proto_name(uint8_t id, char *buf, size_t sz)
{
	const char *s;

	if (id <= RTPROT_STATIC &&
	    (s = route_libnl_name(rtnl_route_proto2str(id, buf, sz))))
		return s;
	if ((s = ip_spelling(IP_PROTO, id)))
		return s;
	s = db_name(&db_protos, id);
	return s ? s : route_number(buf, sz, "%u", id);
}

/* The one scope namer, for addresses and routes: libnl's name (looked up
 * once per value: every address has a scope), else rt_scopes' (when the
 * files were loaded), else the number. */
const char *out_scope(uint8_t scope, char *buf, size_t sz)
{
	static char libnl[256][16];
	const char *s;

	if (!libnl[scope][0] &&
	    !route_libnl_name(rtnl_scope2str(scope, libnl[scope],
					     sizeof(libnl[scope]))))
		snprintf(libnl[scope], sizeof(libnl[scope]), "-");
	s = libnl[scope][0] != '-' ? libnl[scope] : db_name(&db_scopes, scope);
	if (!s)
		return route_number(buf, sz, "%u", scope);
	snprintf(buf, sz, "%s", s);
	return buf;
}

/* Realms: ip's one built-in name, "unknown" for 0, gives way to the
 * file's (Debian's says "cosmos"). */
const char *route_realm_name(uint16_t id, char *buf, size_t sz)
{
	const char *s = db_name(&db_realms, id);

	if (s)
		return s;
	return id == 0 ? "unknown" : route_number(buf, sz, "%u", id);
}

const char *route_dsfield_name(uint8_t id, char *buf, size_t sz)
{
	const char *s = db_name(&db_dsfield, id);

	return s ? s : route_number(buf, sz, "0x%02x", id);
}

const char *route_type_name(uint8_t type, char *buf, size_t sz)
{
	const char *s;

	if (type == RTN_UNSPEC)
		return "none"; /* libnl: "unspec" */
	s = route_libnl_name(nl_rtntype2str(type, buf, sz));
	return s ? s : route_number(buf, sz, "%u", type);
}
