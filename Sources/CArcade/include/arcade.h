/* SchemaArcade's C interface: every registered environment, single or batched, over plain C types.
 *
 * Handles are opaque 64-bit numbers owned by the library: a destroyed or made-up handle is reported as
 * ARCADE_ERR_HANDLE, never dereferenced. Every buffer belongs to the caller and is only borrowed for the call
 * (or, after arcade_bind, until the handle is destroyed or re-bound). Every function validates its arguments
 * before changing any state and returns an int32 status: 0 or positive on success, negative on error
 * (arcade_status_message names it). A handle must not be used from two threads at once; different handles may.
 * Built by `swift build -c release --product CArcade` (libCArcade.so / .dylib). */
#ifndef ARCADE_H
#define ARCADE_H
#include <stdint.h>

#define ARCADE_ABI_VERSION 2

/* Status codes. */
#define ARCADE_OK 0
#define ARCADE_ERR_NULL (-1)        /* a required pointer is null */
#define ARCADE_ERR_UNKNOWN_ID (-2)  /* no registered environment has this id */
#define ARCADE_ERR_FORM (-3)        /* unknown observation form, or a bad pool/size */
#define ARCADE_ERR_HANDLE (-4)      /* not a live handle (never created, or destroyed) */
#define ARCADE_ERR_ACTION (-5)      /* an action outside 0..<action count */
#define ARCADE_ERR_COUNT (-6)       /* copies outside 1...65536 or threads outside 1...1024 */
#define ARCADE_ERR_KIND (-7)        /* a vector handle where a single one is needed, or the reverse */
#define ARCADE_ERR_CAPACITY (-8)    /* the caller's text buffer is too small (the size needed is reported) */
#define ARCADE_ERR_NOT_RESET (-9)   /* step before the first reset */
#define ARCADE_ERR_NOT_BOUND (-10)  /* arcade_step_bound before arcade_bind (or the vec_ pair) */

/* Observation forms (arcade_create's `form`) and what `parameter` means for each. */
#define ARCADE_FORM_NONE 0      /* no observation: shape (0,); parameter ignored */
#define ARCADE_FORM_GRID 1      /* 0/1 bytes (channels, rows, columns); parameter = pool (0 or 1: none) */
#define ARCADE_FORM_ENTITIES 2  /* int32 (capacity, 12) rows; parameter 1 = one row per object pixel */
#define ARCADE_FORM_PIXELS 3    /* RGB bytes (height, width, 3); parameter = size x size downsampling (0: full) */

/* Observation element types (arcade_observation_shape's `dtype`). */
#define ARCADE_DTYPE_UINT8 0
#define ARCADE_DTYPE_INT32 1

/* Step flags, returned by the single-environment step functions (bits 2 and up: the lives left). */
#define ARCADE_TERMINATED 1
#define ARCADE_TRUNCATED 2

int32_t arcade_version(void);                    /* ARCADE_ABI_VERSION of the library */
const char *arcade_status_message(int32_t code); /* static text; never free it */

/* The registered ids, newline-separated and NUL-terminated, into `text` (`capacity` bytes); `needed` gets the size. */
int32_t arcade_env_ids(char *text, int64_t capacity, int64_t *needed);

/* Single environments. */
int32_t arcade_create(const char *id, int32_t form, int32_t parameter, uint64_t *handle);
int32_t arcade_destroy(uint64_t handle);                     /* also for vector handles */
int32_t arcade_reset(uint64_t handle, uint64_t seed, int32_t use_seed, void *observation); /* use_seed 0: next seed */
/* out[0] = reward, out[1] = lives; returns the step flags | lives << 2, or an error. */
int32_t arcade_step(uint64_t handle, int64_t action, void *observation, double *out);
int32_t arcade_bind(uint64_t handle, void *observation, double *out);   /* buffers for arcade_step_bound */
int32_t arcade_step_bound(uint64_t handle, int64_t action);
int32_t arcade_render(uint64_t handle, uint8_t *rgb);          /* height x width x 3 bytes */
int32_t arcade_lives(uint64_t handle, int32_t *lives);

/* Facts about either kind of handle. */
int32_t arcade_observation_shape(uint64_t handle, int64_t *dims /* 3 */, int32_t *rank, int32_t *dtype, int64_t *bytes);
int32_t arcade_render_shape(uint64_t handle, int64_t *height, int64_t *width);
int32_t arcade_action_names(uint64_t handle, char *text, int64_t capacity, int64_t *needed);
int32_t arcade_max_episode_steps(uint64_t handle, int64_t *steps);

/* Vector environments: `count` copies stepped by `threads` workers. A copy whose episode ended is reset by the
 * next arcade_vec_step (Gymnasium 1.x's next-step auto-reset): that step ignores its action, writes the first
 * observation of the new episode, reward 0 and both flags 0. Observations are `count` slots of
 * arcade_observation_shape's `bytes`; flags are one byte each. */
int32_t arcade_vec_create(const char *id, int32_t form, int32_t parameter, int32_t count, int32_t threads,
                          uint64_t *handle);
/* use_seed 1: copy i restarts from seed + i. */
int32_t arcade_vec_reset(uint64_t handle, uint64_t seed, int32_t use_seed, void *observations, int32_t *lives);
int32_t arcade_vec_step(uint64_t handle, const int64_t *actions, void *observations, double *rewards,
                        uint8_t *terminated, uint8_t *truncated, int32_t *lives);
/* The same step into buffers bound once (lives may be null). The library assumes that only it writes the bound
 * observations: after the first bound step it rewrites only the grid cells that changed since its last write there
 * (far less memory traffic). To change the bound observations yourself, bind again (the next bound step then
 * writes every cell); arcade_vec_reset and arcade_vec_step also make the next bound step write every cell. */
int32_t arcade_vec_bind(uint64_t handle, void *observations, double *rewards, uint8_t *terminated, uint8_t *truncated,
                        int32_t *lives);
int32_t arcade_vec_step_bound(uint64_t handle, const int64_t *actions);

#endif
