/* jansson helpers (see jsonget.h). */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include "netjoin/num.h"
#include "jsonget.h"

const char *jsonget_str(json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	return json_is_string(v) ? json_string_value(v) : NULL;
}

int jsonget_copy(char *dst, size_t sz, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (n >= sz)
		return -EINVAL;
	memcpy(dst, src ? src : "", n + 1);
	return 0;
}

bool jsonget_uint(json_t *o, const char *key, unsigned long long *v)
{
	json_t *j = json_object_get(o, key);

	if (json_is_integer(j) && json_integer_value(j) >= 0) {
		*v = (unsigned long long)json_integer_value(j);
		return true;
	}
	return json_is_string(j) &&
	       num_parse_str(json_string_value(j), ULLONG_MAX, v) == 0;
}

int jsonget_each(const char *buf, size_t len, int (*fn)(json_t *el, void *arg),
		 void *arg)
{
	json_t *root = json_loadb(buf, len, 0, NULL), *el;
	size_t i;
	int rc = 0;

	if (!json_is_array(root)) {
		json_decref(root);
		return -EINVAL;
	}
	json_array_foreach(root, i, el) {
		rc = fn(el, arg);
		if (rc)
			break;
	}
	json_decref(root);
	return rc < 0 ? rc : 0;
}

int jsonget_object(const char *buf, size_t len, size_t flags,
		   int (*fn)(json_t *obj, void *arg), void *arg)
{
	json_t *root = json_loadb(buf, len, flags, NULL);
	int rc = json_is_object(root) ? fn(root, arg) : -EINVAL;

	json_decref(root);
	return rc;
}
