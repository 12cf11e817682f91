#pragma once

#include <QImage>
#include <QWidget>

namespace studio::ui {

// A larger view of the selected panel's image (or, while rendering, its live preview), scaled to fit and
// kept square so the editor's layout does not jump when images change.
class ImagePreview : public QWidget
{
    Q_OBJECT
public:
    explicit ImagePreview(QWidget *parent = nullptr);

    QImage image() const { return m_image; }
    void setImage(const QImage &image);
    void setPlaceholderText(const QString &text);

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override { return width; }
    QSize sizeHint() const override { return {240, 240}; }
    QSize minimumSizeHint() const override { return {120, 120}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QImage m_image;
    QString m_placeholder;
};

} // namespace studio::ui
