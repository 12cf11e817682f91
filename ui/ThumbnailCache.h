#pragma once

#include <QCache>
#include <QImage>
#include <QString>

namespace studio::ui {

// Small scaled copies of panel images, keyed by file, modification time and size, so the board and the
// variants strip decode each full-size render once.
class ThumbnailCache
{
public:
    explicit ThumbnailCache(int maxImages = 64);

    // A copy of the image at `path` no larger than `edge` x `edge` (aspect kept); null when unreadable.
    QImage thumbnail(const QString &path, int edge);
    void clear();

private:
    QCache<QString, QImage> m_cache;
};

} // namespace studio::ui
