/* The jansson helpers of the state and API parsers (oci.c,
 * docker_json.c): a field read leniently, as the runtimes write them. */
#ifndef NETJOIN_PROVIDERS_JSONGET_H
#define NETJOIN_PROVIDERS_JSONGET_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

/* o's string member key, or NULL (o not an object, key absent, or not a
 * string). */
const char *jsonget_str(json_t *o, const char *key);

/* src ("" for NULL) into dst: 0, or -EINVAL when it does not fit. */
int jsonget_copy(char *dst, size_t sz, const char *src);

/* o's member key as an unsigned number, a JSON integer or a string of
 * digits (some runtimes write numbers as text): true and *v, or false. */
bool jsonget_uint(json_t *o, const char *key, unsigned long long *v);

/* fn(element, arg) for each element of the JSON array in buf, until fn
 * returns nonzero: 0 (also when fn stopped the walk with a positive
 * value), fn's negative value, or -EINVAL when buf is no array. */
int jsonget_each(const char *buf, size_t len, int (*fn)(json_t *el, void *arg),
		 void *arg);

/* fn(object, arg) for the JSON object in buf (jansson's load flags):
 * fn's return, or -EINVAL when buf is no object. */
int jsonget_object(const char *buf, size_t len, size_t flags,
		   int (*fn)(json_t *obj, void *arg), void *arg);

#endif
