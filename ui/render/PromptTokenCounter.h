#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <memory>

namespace studio::ui {

// Counts the tokens of a prompt the way Kolors' text encoder sees them (ChatGLM3 tokenizer, [gMASK] sop
// prefix included, 256 at most, A1111 weighting syntax left out), for the editor's "n/256" counter. The tokenizer comes
// from the model folder and is loaded in the background; until then, and without a model, the counter is not ready (the
// editor hides it). Counting itself is cheap (microseconds) and runs where it is called.
class PromptTokenCounter : public QObject
{
    Q_OBJECT
public:
    struct Count
    {
        int tokens = 0;
        int maxTokens = 256;
        bool truncated = false;
    };

    explicit PromptTokenCounter(QObject *parent = nullptr);
    ~PromptTokenCounter() override;

    // Loads the tokenizer of this Kolors folder (any layout the engine accepts) in the background. An empty or
    // unusable folder makes the counter not ready.
    void setModelFolder(const QString &dir);
    QString modelFolder() const { return m_dir; }
    bool isReady() const;
    Count count(const QString &text) const; // zero tokens when not ready

Q_SIGNALS:
    void readyChanged(bool ready);

private:
    struct Tokenizer;
    QString m_dir;
    std::shared_ptr<Tokenizer> m_tokenizer;
    QFutureWatcher<std::shared_ptr<Tokenizer>> m_loading;
    quint64 m_request = 0; // only the latest load counts
};

} // namespace studio::ui
