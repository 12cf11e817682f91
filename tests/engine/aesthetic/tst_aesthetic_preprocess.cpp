// Image decoding and CLIPImageProcessor preprocessing against the golden fixtures: `resized_uint8` must be identical
// (PIL's bicubic reproduced bit for bit) and `pixel_values` identical up to 1 ulp, for every case of cases.json.
#include "AestheticFixture.h"

#include "engine/imaging/ImageDecoder.h"
#include "engine/aesthetic/ImagePreprocessor.h"
#include "engine/imaging/PilResample.h"
#include "engine/common/EngineError.h"
#include "engine/io/SafetensorsFile.h"

#include <ATen/ATen.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <nlohmann/json.hpp>
#include <png.h>

#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <functional>

using namespace studio::engine;
using aesthetic_test::fixturePath;

namespace {

ImagePreprocessor fixturePreprocessor()
{
    return ImagePreprocessor(ImageProcessorConfig::fromFile(fixturePath("preprocessor_config.json").toStdString()));
}

at::Tensor expectedTensor(const QString &name)
{
    static const auto file = SafetensorsFile::open(fixturePath("expected.safetensors").toStdString());
    return file->tensor(name.toStdString());
}

// Largest distance in units in the last place between two float32 tensors of the same shape.
int64_t maxUlpDistance(const at::Tensor &a, const at::Tensor &b)
{
    const at::Tensor ia = a.contiguous().view(at::kInt).to(at::kLong);
    const at::Tensor ib = b.contiguous().view(at::kInt).to(at::kLong);
    // Map the sign-magnitude bit patterns onto a monotonic integer line, so -0 and +0 are 0 apart.
    const auto line = [](const at::Tensor &i) { return at::where(i < 0, -(i & 0x7fffffff), i); };
    return (line(ia) - line(ib)).abs().max().item<int64_t>();
}

RgbImage filled(int w, int h, const std::function<uint8_t(int, int, int)> &value)
{
    RgbImage image(w, h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c)
                image.row(y)[x * 3 + c] = value(x, y, c);
    return image;
}

void expectError(const std::function<void()> &f, EngineError::Code code, const QString &mustContain)
{
    try {
        f();
    } catch (const EngineError &e) {
        QVERIFY2(e.code() == code, qPrintable(QStringLiteral("code %1: %2").arg(e.codeName(), e.what())));
        QVERIFY2(QString::fromStdString(e.what()).contains(mustContain), e.what());
        return;
    }
    QFAIL("no EngineError thrown");
}

std::vector<uint8_t> fileBytes(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray data = file.readAll();
    return std::vector<uint8_t>(data.begin(), data.end());
}

// A palette PNG (with a tRNS chunk) written with libpng, which OpenCV cannot write.
bool writePalettePng(const QString &path, int w, int h, const std::vector<png_color> &palette,
                     const std::vector<uint8_t> &alpha, const std::vector<uint8_t> &indices)
{
    FILE *fp = std::fopen(QFile::encodeName(path).constData(), "wb");
    if (!fp)
        return false;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        std::fclose(fp);
        return false;
    }
    png_init_io(png, fp);
    png_set_IHDR(png, info, png_uint_32(w), png_uint_32(h), 8, PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_PLTE(png, info, palette.data(), int(palette.size()));
    png_set_tRNS(png, info, alpha.data(), int(alpha.size()), nullptr);
    png_write_info(png, info);
    for (int y = 0; y < h; ++y)
        png_write_row(png, indices.data() + size_t(y) * size_t(w));
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return std::fclose(fp) == 0;
}

} // namespace

class TestAestheticPreprocess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY2(!aesthetic_test::readCases().isEmpty(), "no cases in the aesthetic-tiny fixture"); }

    void goldenCases_data()
    {
        QTest::addColumn<int>("index");
        const auto cases = aesthetic_test::readCases();
        for (int i = 0; i < cases.size(); ++i)
            QTest::newRow(qPrintable(cases[i].id)) << i;
    }

    // Decode + resize must give `resized_uint8` exactly; the whole processor must give `pixel_values`.
    void goldenCases()
    {
        QFETCH(int, index);
        const aesthetic_test::GoldenCase c = aesthetic_test::readCases().at(index);
        const ImagePreprocessor pre = fixturePreprocessor();
        std::vector<RgbImage> images;
        for (const QString &path : c.images)
            images.push_back(ImageDecoder::decodeFile(path.toStdString()));

        if (c.single) {
            const auto size = pre.resizedSize(images[0].width, images[0].height);
            QCOMPARE(size.first, c.resizedWidth);
            QCOMPARE(size.second, c.resizedHeight);
            const RgbImage resized = pre.resize(images[0]);
            const at::Tensor expected = expectedTensor(c.id + ".resized_uint8");
            QCOMPARE(expected.scalar_type(), at::kByte);
            QCOMPARE(expected.dim(), int64_t(3));
            QCOMPARE(int64_t(resized.height), expected.size(0));
            QCOMPARE(int64_t(resized.width), expected.size(1));
            QCOMPARE(expected.size(2), int64_t(3));
            const at::Tensor ours = at::from_blob(const_cast<uint8_t *>(resized.pixels.data()),
                                                  {resized.height, resized.width, 3}, at::kByte);
            const int64_t differing = ours.ne(expected).sum().item<int64_t>();
            QVERIFY2(differing == 0,
                     qPrintable(QStringLiteral("%1 resized bytes differ, max |diff| %2")
                                    .arg(differing)
                                    .arg((ours.to(at::kInt) - expected.to(at::kInt)).abs().max().item<int>())));
        }
        const at::Tensor pixels = pre.preprocess(images);
        const at::Tensor expected = expectedTensor(c.id + ".pixel_values");
        QCOMPARE(pixels.sizes().vec(), expected.sizes().vec());
        QCOMPARE(pixels.scalar_type(), at::kFloat);
        const int64_t ulps = maxUlpDistance(pixels, expected);
        QVERIFY2(ulps <= 1, qPrintable(QStringLiteral("pixel_values differ by %1 ulp").arg(ulps)));
        if (ulps != 0)
            qWarning("pixel_values of %s differ by 1 ulp somewhere", qPrintable(c.id));
    }

    void resizeKeepsConstantImagesAndSkipsUnchangedSize()
    {
        const RgbImage flat = filled(37, 23, [](int, int, int c) { return uint8_t(40 + 70 * c); });
        for (const PilFilter filter : {PilFilter::Bilinear, PilFilter::Bicubic, PilFilter::Lanczos}) {
            for (const auto &[w, h] : {std::pair<int, int>{37, 9}, {100, 23}, {5, 61}, {224, 224}, {1, 1}}) {
                const RgbImage out = resizeLikePil(flat, w, h, filter);
                QCOMPARE(out.width, w);
                QCOMPARE(out.height, h);
                for (size_t i = 0; i < out.pixels.size(); ++i)
                    QCOMPARE(int(out.pixels[i]), 40 + 70 * int(i % 3));
            }
        }
        const RgbImage noisy =
            filled(19, 11, [](int x, int y, int c) { return uint8_t((x * 37 + y * 91 + c * 13) & 255); });
        QVERIFY(resizeLikePil(noisy, 19, 11, PilFilter::Bicubic).pixels == noisy.pixels);
        expectError([&] { resizeLikePil(noisy, 0, 5, PilFilter::Bicubic); }, EngineError::Code::BadArgument, "resize");
    }

    // transformers pads with zeros when the crop is larger than the resized image: those pixels are (0 - mean)/std.
    void cropLargerThanImagePadsWithZeros()
    {
        ImageProcessorConfig config;
        config.shortestEdge = 8;
        config.cropWidth = 12;
        config.cropHeight = 9;
        const ImagePreprocessor pre(config);
        const RgbImage image = filled(8, 8, [](int, int, int) { return uint8_t(255); });
        const at::Tensor pixels = pre.toPixelValues(image);
        QCOMPARE(pixels.sizes().vec(), (std::vector<int64_t>{3, 9, 12}));
        // top = (8 - 9) // 2 = -1 and left = (8 - 12) // 2 = -2: row 0 and columns 0, 1, 10, 11 are padding.
        for (int c = 0; c < 3; ++c) {
            const float pad = (0.0f - float(config.mean[c])) / float(config.std[c]);
            const float full = (float(255 * config.rescaleFactor) - float(config.mean[c])) / float(config.std[c]);
            QCOMPARE(pixels[c][0][5].item<float>(), pad);
            QCOMPARE(pixels[c][4][1].item<float>(), pad);
            QCOMPARE(pixels[c][4][10].item<float>(), pad);
            QCOMPARE(pixels[c][8][2].item<float>(), full);
            QCOMPARE(pixels[c][1][9].item<float>(), full);
        }
    }

    void elongatedImagesAreRefused()
    {
        const ImagePreprocessor pre = fixturePreprocessor();
        expectError([&] { pre.resizedSize(1, 10000000); }, EngineError::Code::BadArgument, "elongated");
    }

    // PIL's convert("RGB") of a palette image maps indices through the palette and ignores tRNS.
    void paletteImagesExpandWithoutCompositing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("palette.png"));
        const std::vector<png_color> palette = {{10, 20, 30}, {200, 100, 50}, {0, 255, 7}};
        const std::vector<uint8_t> indices = {0, 1, 2, 1, 2, 0};
        QVERIFY(writePalettePng(path, 3, 2, palette, {0, 128, 255}, indices));
        const RgbImage image = ImageDecoder::decodeFile(path.toStdString());
        QCOMPARE(image.width, 3);
        QCOMPARE(image.height, 2);
        for (size_t i = 0; i < indices.size(); ++i) {
            QCOMPARE(int(image.pixels[i * 3 + 0]), int(palette[indices[i]].red));
            QCOMPARE(int(image.pixels[i * 3 + 1]), int(palette[indices[i]].green));
            QCOMPARE(int(image.pixels[i * 3 + 2]), int(palette[indices[i]].blue));
        }
    }

    // 16-bit samples: colour keeps the high byte, gray (PIL mode "I") is clipped to 255.
    void sixteenBitImages()
    {
        QTemporaryDir dir;
        cv::Mat color(1, 2, CV_16UC3);
        color.at<cv::Vec3w>(0, 0) = cv::Vec3w(0x0102, 0x7f80, 0xffff); // B, G, R
        color.at<cv::Vec3w>(0, 1) = cv::Vec3w(0x00ff, 0x0100, 0x8000);
        const std::string colorPath = dir.filePath(QStringLiteral("c16.png")).toStdString();
        QVERIFY(cv::imwrite(colorPath, color));
        const RgbImage c = ImageDecoder::decodeFile(colorPath);
        QCOMPARE(std::vector<int>(c.pixels.begin(), c.pixels.end()),
                 (std::vector<int>{0xff, 0x7f, 0x01, 0x80, 0x01, 0x00}));

        cv::Mat gray(1, 3, CV_16UC1);
        gray.at<uint16_t>(0, 0) = 17;
        gray.at<uint16_t>(0, 1) = 255;
        gray.at<uint16_t>(0, 2) = 40000;
        const std::string grayPath = dir.filePath(QStringLiteral("g16.png")).toStdString();
        QVERIFY(cv::imwrite(grayPath, gray));
        const RgbImage g = ImageDecoder::decodeFile(grayPath);
        QCOMPARE(std::vector<int>(g.pixels.begin(), g.pixels.end()),
                 (std::vector<int>{17, 17, 17, 255, 255, 255, 255, 255, 255}));
    }

    void grayJpegIsReplicated()
    {
        cv::Mat gray(8, 8, CV_8UC1);
        for (int i = 0; i < 64; ++i)
            gray.data[i] = uint8_t(i * 4);
        std::vector<uint8_t> bytes;
        QVERIFY(cv::imencode(".jpg", gray, bytes));
        const RgbImage image = ImageDecoder::decode(bytes, "gray.jpg");
        const cv::Mat reference = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
        QCOMPARE(reference.channels(), 1);
        for (int i = 0; i < 64; ++i)
            for (int c = 0; c < 3; ++c)
                QCOMPARE(int(image.pixels[size_t(i) * 3 + size_t(c)]), int(reference.data[i]));
    }

    void hostileImagesAreRefused()
    {
        QTemporaryDir dir;
        const auto write = [&](const QString &name, const QByteArray &data) {
            QFile file(dir.filePath(name));
            file.open(QIODevice::WriteOnly);
            file.write(data);
            return dir.filePath(name).toStdString();
        };
        expectError([&] { ImageDecoder::decodeFile(dir.filePath("absent.png").toStdString()); },
                    EngineError::Code::MissingFile, "absent.png");
        const std::string garbage = write("garbage.png", QByteArray("this is not an image at all"));
        expectError([&] { ImageDecoder::decodeFile(garbage); }, EngineError::Code::Unsupported, "garbage.png");
        const std::string empty = write("empty.png", QByteArray());
        expectError([&] { ImageDecoder::decodeFile(empty); }, EngineError::Code::Unsupported, "empty.png");

        const std::vector<uint8_t> real = fileBytes(aesthetic_test::readCases().front().images.front());
        QVERIFY(real.size() > 40);
        const std::string truncated =
            write("truncated.png", QByteArray(reinterpret_cast<const char *>(real.data()), int(real.size() / 2)));
        expectError([&] { ImageDecoder::decodeFile(truncated); }, EngineError::Code::BadFile, "truncated.png");

        // A valid signature and IHDR claiming 100000 x 100000 pixels: refused before decoding.
        QByteArray bomb(reinterpret_cast<const char *>(real.data()), 33);
        const uint32_t side = 100000;
        for (int i = 0; i < 4; ++i) {
            bomb[16 + i] = char((side >> (24 - 8 * i)) & 0xff);
            bomb[20 + i] = char((side >> (24 - 8 * i)) & 0xff);
        }
        const std::string bombPath = write("bomb.png", bomb);
        expectError([&] { ImageDecoder::decodeFile(bombPath); }, EngineError::Code::BadFile, "out of range");

        const std::string jpegJunk = write("junk.jpg", QByteArray("\xff\xd8\xff\xe0\x00\x10JFIF junk", 15));
        expectError([&] { ImageDecoder::decodeFile(jpegJunk); }, EngineError::Code::BadFile, "junk.jpg");
    }

    void processorConfigIsChecked()
    {
        const auto parse = [](const char *text) {
            return ImageProcessorConfig::fromJson(nlohmann::json::parse(text), "preprocessor_config.json");
        };
        QCOMPARE(parse(R"({"size": {"shortest_edge": 48}, "crop_size": 40})").shortestEdge, 48);
        QCOMPARE(parse(R"({"size": {"shortest_edge": 48}, "crop_size": 40})").cropHeight, 40);
        expectError([&] { parse(R"({"size": {"shortest_edge": 0}})"); }, EngineError::Code::BadConfig,
                    "size.shortest_edge");
        expectError([&] { parse(R"({"size": {"shortest_edge": 1e12}})"); }, EngineError::Code::BadConfig, "size");
        expectError([&] { parse(R"({"crop_size": {"height": 32}})"); }, EngineError::Code::BadConfig, "crop_size");
        expectError([&] { parse(R"({"image_std": [0.2, 0, 0.3]})"); }, EngineError::Code::BadConfig, "image_std");
        expectError([&] { parse(R"({"image_mean": [0.2, 0.3]})"); }, EngineError::Code::BadConfig, "image_mean");
        expectError([&] { parse(R"({"do_resize": "yes"})"); }, EngineError::Code::BadConfig, "do_resize");
        expectError([&] { parse(R"({"resample": 2})"); }, EngineError::Code::Unsupported, "resample 2");
        expectError([&] { parse(R"([1, 2])"); }, EngineError::Code::BadConfig, "not a JSON object");
    }
};

QTEST_GUILESS_MAIN(TestAestheticPreprocess)
#include "tst_aesthetic_preprocess.moc"
