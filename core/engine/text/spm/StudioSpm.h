#pragma once

/* The plain C interface of the studio_sentencepiece module (core/engine/text/spm).
 *
 * Why a separate module: Debian's libsentencepiece carries its own copy of protobuf-lite, and LibTorch links
 * libprotobuf. Linked into one process with global symbol binding, sentencepiece ends up calling LibTorch's
 * protobuf and crashes. The engine therefore never links sentencepiece; it loads this small module with
 * RTLD_LOCAL | RTLD_DEEPBIND (engine/text/SentencePieceModule.cpp), so the module and its libsentencepiece
 * bind to their own protobuf. Only C types cross the boundary and no exception leaves the module. */

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define STUDIO_SPM_EXPORT __declspec(dllexport)
#else
#define STUDIO_SPM_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define STUDIO_SPM_ABI_VERSION 1

typedef struct StudioSpmModel StudioSpmModel;

/* Receives a result: ids (encode) or UTF-8 bytes (piece text, error messages). */
typedef void (*StudioSpmIdSink)(void *context, const int32_t *ids, size_t count);
typedef void (*StudioSpmTextSink)(void *context, const char *text, size_t length);

STUDIO_SPM_EXPORT int32_t studio_spm_abi_version(void);

/* Loads a serialized ModelProto (the bytes of tokenizer.model). Returns NULL on failure and passes the reason
 * to `error`. */
STUDIO_SPM_EXPORT StudioSpmModel *studio_spm_load(const char *bytes, size_t size, StudioSpmTextSink error,
                                                  void *errorContext);
STUDIO_SPM_EXPORT void studio_spm_free(StudioSpmModel *model);

/* Number of pieces of the vocabulary (ChatGLM's special tokens are numbered after it). */
STUDIO_SPM_EXPORT int32_t studio_spm_piece_count(const StudioSpmModel *model);

/* Encodes UTF-8 text (`length` bytes, may contain NUL) into piece ids, passed once to `sink`. Returns 0, or -1
 * with the reason passed to `error`. Thread-safe on one model. */
STUDIO_SPM_EXPORT int32_t studio_spm_encode(const StudioSpmModel *model, const char *text, size_t length,
                                            StudioSpmIdSink sink, void *context, StudioSpmTextSink error,
                                            void *errorContext);

/* Passes the text of piece `id` to `sink`. Returns 0, or -1 when the id is out of range. */
STUDIO_SPM_EXPORT int32_t studio_spm_id_to_piece(const StudioSpmModel *model, int32_t id, StudioSpmTextSink sink,
                                                 void *context);

#ifdef __cplusplus
}
#endif
