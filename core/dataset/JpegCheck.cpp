#include "JpegCheck.h"

#include <csetjmp>
#include <cstdio>
#include <cstdlib>

#include <jpeglib.h>
#include <jerror.h>

namespace studio::dataset {

namespace {

struct ErrorManager
{
    jpeg_error_mgr base;
    jmp_buf jump;
    bool dataEnded = false;           // libjpeg ran out of data and inserted a fake EOI
    JDIMENSION scanlineAtEnd = 0;     // how far the output was then
    char message[JMSG_LENGTH_MAX] = {};
    ImageProblem problem = ImageProblem::Corrupt; // libjpeg's own errors: the data is not a decodable JPEG
};

void onError(j_common_ptr cinfo)
{
    auto *err = reinterpret_cast<ErrorManager *>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, err->message);
    std::longjmp(err->jump, 1);
}

void onMessage(j_common_ptr cinfo, int level)
{
    auto *err = reinterpret_cast<ErrorManager *>(cinfo->err);
    if (level == -1 && cinfo->err->msg_code == JWRN_JPEG_EOF && !err->dataEnded) {
        err->dataEnded = true;
        err->scanlineAtEnd = cinfo->is_decompressor ? reinterpret_cast<j_decompress_ptr>(cinfo)->output_scanline : 0;
    }
    // Other warnings (corrupt data that libjpeg recovers from) are ignored, as Pillow ignores them.
}

void silent(j_common_ptr) {}

// Kept free of C++ objects with destructors: longjmp leaves this frame.
bool decode(const unsigned char *data, size_t size, ImageProbe *probe, ErrorManager *err, unsigned char **row)
{
    jpeg_decompress_struct cinfo;
    cinfo.err = jpeg_std_error(&err->base);
    err->base.error_exit = onError;
    err->base.emit_message = onMessage;
    err->base.output_message = silent;
    if (setjmp(err->jump)) {
        jpeg_destroy_decompress(&cinfo);
        return false;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, static_cast<unsigned long>(size));
    jpeg_read_header(&cinfo, TRUE);
    probe->width = cinfo.image_width;
    probe->height = cinfo.image_height;
    if (probe->width * probe->height > kDecompressionBombPixels) {
        err->problem = ImageProblem::TooManyPixels;
        std::snprintf(err->message, sizeof err->message, "decompression bomb (%lld pixels)",
                      static_cast<long long>(probe->width * probe->height));
        jpeg_destroy_decompress(&cinfo);
        return false;
    }
    // Only whether every byte decodes matters, not the pixels: the fastest settings.
    cinfo.dct_method = JDCT_IFAST;
    cinfo.do_fancy_upsampling = FALSE;
    cinfo.do_block_smoothing = FALSE;
    jpeg_start_decompress(&cinfo);
    *row = static_cast<unsigned char *>(std::malloc(size_t(cinfo.output_width) * cinfo.output_components + 16));
    if (!*row) {
        err->problem = ImageProblem::ReadError;
        std::snprintf(err->message, sizeof err->message, "out of memory");
        jpeg_destroy_decompress(&cinfo);
        return false;
    }
    while (cinfo.output_scanline < cinfo.output_height && !(err->dataEnded && err->scanlineAtEnd < cinfo.output_height)) {
        JSAMPROW rows[1] = {*row};
        jpeg_read_scanlines(&cinfo, rows, 1);
    }
    const bool complete = !(err->dataEnded && err->scanlineAtEnd < cinfo.output_height);
    if (!complete) {
        err->problem = ImageProblem::Truncated;
        std::snprintf(err->message, sizeof err->message, "truncated image data");
    }
    jpeg_destroy_decompress(&cinfo);
    return complete;
}

} // namespace

bool looksLikeJpeg(const std::vector<unsigned char> &bytes)
{
    return bytes.size() >= 3 && bytes[0] == 0xff && bytes[1] == 0xd8 && bytes[2] == 0xff;
}

void checkJpeg(const std::vector<unsigned char> &bytes, ImageProbe *probe)
{
    ErrorManager err;
    unsigned char *row = nullptr;
    probe->ok = decode(bytes.data(), bytes.size(), probe, &err, &row);
    std::free(row);
    if (!probe->ok)
        probe->fail(err.problem, err.message[0] ? err.message : "cannot decode JPEG");
}

} // namespace studio::dataset
