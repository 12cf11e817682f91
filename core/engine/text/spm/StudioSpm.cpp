// The only code that touches sentencepiece. Built as a MODULE library; see StudioSpm.h for why.
#include "StudioSpm.h"

#include <sentencepiece_processor.h>

#include <exception>
#include <memory>
#include <new>
#include <string>
#include <vector>

struct StudioSpmModel
{
    sentencepiece::SentencePieceProcessor processor;
};

namespace {

void report(StudioSpmTextSink sink, void *context, const std::string &message)
{
    if (sink)
        sink(context, message.data(), message.size());
}

} // namespace

extern "C" {

int32_t studio_spm_abi_version(void)
{
    return STUDIO_SPM_ABI_VERSION;
}

StudioSpmModel *studio_spm_load(const char *bytes, size_t size, StudioSpmTextSink error, void *errorContext)
{
    try {
        auto model = std::make_unique<StudioSpmModel>();
        const auto status = model->processor.LoadFromSerializedProto(std::string(bytes, size));
        if (!status.ok()) {
            report(error, errorContext, status.ToString());
            return nullptr;
        }
        return model.release();
    } catch (const std::exception &e) {
        report(error, errorContext, e.what());
    } catch (...) {
        report(error, errorContext, "unknown sentencepiece failure");
    }
    return nullptr;
}

void studio_spm_free(StudioSpmModel *model)
{
    delete model;
}

int32_t studio_spm_piece_count(const StudioSpmModel *model)
{
    return model ? int32_t(model->processor.GetPieceSize()) : 0;
}

int32_t studio_spm_encode(const StudioSpmModel *model, const char *text, size_t length, StudioSpmIdSink sink,
                          void *context, StudioSpmTextSink error, void *errorContext)
{
    if (!model || (!text && length > 0)) {
        report(error, errorContext, "no model or no text");
        return -1;
    }
    try {
        std::vector<int> ids;
        const auto status = model->processor.Encode(std::string(text ? text : "", length), &ids);
        if (!status.ok()) {
            report(error, errorContext, status.ToString());
            return -1;
        }
        std::vector<int32_t> out(ids.begin(), ids.end());
        sink(context, out.data(), out.size());
        return 0;
    } catch (const std::exception &e) {
        report(error, errorContext, e.what());
    } catch (...) {
        report(error, errorContext, "unknown sentencepiece failure");
    }
    return -1;
}

int32_t studio_spm_id_to_piece(const StudioSpmModel *model, int32_t id, StudioSpmTextSink sink, void *context)
{
    if (!model || id < 0 || id >= model->processor.GetPieceSize())
        return -1;
    try {
        const std::string &piece = model->processor.IdToPiece(id);
        sink(context, piece.data(), piece.size());
        return 0;
    } catch (...) {
        return -1;
    }
}

} // extern "C"
