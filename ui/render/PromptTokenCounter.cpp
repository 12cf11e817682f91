#include "PromptTokenCounter.h"

#include <QFile>
#include <QFileInfo>
#include <QtConcurrent/QtConcurrentRun>

#ifdef STUDIO_HAS_ENGINE
#include "engine/api/TextApi.h" // torch-free
#endif

namespace studio::ui {

struct PromptTokenCounter::Tokenizer
{
#ifdef STUDIO_HAS_ENGINE
    std::unique_ptr<engine::PromptTokenizer> tokenizer;
#endif
};

PromptTokenCounter::PromptTokenCounter(QObject *parent) : QObject(parent) {}

PromptTokenCounter::~PromptTokenCounter()
{
    m_loading.waitForFinished();
}

void PromptTokenCounter::setModelFolder(const QString &dir)
{
    if (dir == m_dir)
        return;
    m_dir = dir;
    const bool wasReady = isReady();
    m_tokenizer.reset();
    const quint64 request = ++m_request;
    if (wasReady)
        Q_EMIT readyChanged(false);
#ifdef STUDIO_HAS_ENGINE
    if (dir.trimmed().isEmpty() || !QFileInfo(dir).isDir())
        return;
    m_loading.disconnect(this);
    connect(&m_loading, &QFutureWatcherBase::finished, this, [this, request] {
        if (request != m_request)
            return; // a newer folder was chosen meanwhile
        m_tokenizer = m_loading.result();
        if (m_tokenizer)
            Q_EMIT readyChanged(true);
    });
    const std::string path = QFile::encodeName(dir).toStdString();
    m_loading.setFuture(QtConcurrent::run([path]() -> std::shared_ptr<Tokenizer> {
        try {
            auto t = std::make_shared<Tokenizer>();
            t->tokenizer = engine::PromptTokenizer::load(path);
            return t;
        } catch (...) {
            return {}; // no counter for a folder without a usable tokenizer; rendering reports the details
        }
    }));
#endif
}

bool PromptTokenCounter::isReady() const
{
    return m_tokenizer != nullptr;
}

PromptTokenCounter::Count PromptTokenCounter::count(const QString &text) const
{
    Count c;
#ifdef STUDIO_HAS_ENGINE
    if (!m_tokenizer)
        return c;
    try {
        // What the encoder reads: the text without its weighting syntax. A prompt with a broken weight (which
        // the render refuses) is counted as written.
        const std::string utf8 = text.toStdString();
        engine::TokenizedText t;
        try {
            t = m_tokenizer->tokenizer->tokenizeWeighted(utf8).tokens;
        } catch (...) {
            t = m_tokenizer->tokenizer->tokenize(utf8);
        }
        c.tokens = t.tokens;
        c.maxTokens = t.maxLength;
        c.truncated = t.truncated;
    } catch (...) {
        c.tokens = 0;
    }
#else
    Q_UNUSED(text)
#endif
    return c;
}

} // namespace studio::ui
