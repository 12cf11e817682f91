#include "ThumbnailCache.h"

#include <QDateTime>
#include <QFileInfo>
#include <QImageReader>

namespace studio::ui {

ThumbnailCache::ThumbnailCache(int maxImages) : m_cache(maxImages) {}

QImage ThumbnailCache::thumbnail(const QString &path, int edge)
{
    if (path.isEmpty())
        return {};
    const QFileInfo info(path);
    if (!info.isFile())
        return {};
    const QString key =
        QStringLiteral("%1|%2|%3|%4").arg(path).arg(info.lastModified().toMSecsSinceEpoch()).arg(info.size()).arg(edge);
    if (QImage *cached = m_cache.object(key))
        return *cached;

    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize full = reader.size();
    if (full.isValid() && (full.width() > edge || full.height() > edge))
        reader.setScaledSize(full.scaled(edge, edge, Qt::KeepAspectRatio));
    QImage image = reader.read();
    if (image.isNull())
        return {};
    if (image.width() > edge || image.height() > edge)
        image = image.scaled(edge, edge, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    m_cache.insert(key, new QImage(image));
    return image;
}

void ThumbnailCache::clear()
{
    m_cache.clear();
}

} // namespace studio::ui
