#pragma once

#include "ui/render/RenderTypes.h"

#include <QDialog>
#include <QImage>

class QComboBox;
class QLabel;
class QPushButton;
class QSlider;

namespace studio::ui {

class ImagePreview;
class RenderQueue;
class StoryDocument;

// "Refine" a panel as A1111's img2img does: start from the panel's chosen image, any other of its images, an
// image file, or one dropped or pasted here, and render it again at a denoising strength. The slider shows how
// many steps will actually run; the init image stays beside the result, which appears when the render finishes.
// Pasted images and files from outside are copied into the story's folder (images/init/), so every refined image
// stays reproducible from the story alone.
class RefineDialog : public QDialog
{
    Q_OBJECT
public:
    RefineDialog(StoryDocument *document, RenderQueue *queue, int panel, QWidget *parent = nullptr);

    // The sources the dialog offers; also used by the tests.
    void useVariant(int variant);       // one of the panel's images
    bool useFile(const QString &path);  // an image file (PNG or JPEG); false when it cannot be read
    void useImage(const QImage &image); // a pasted image
    void setStrength(double strength);  // 0..1, in steps of 0.01
    double strength() const;
    int stepsThatRun() const; // min(int(steps × strength), steps), as the engine counts them
    QImage initImage() const { return m_init; }
    QImage resultImage() const;
    // Queues the refine; false with *why when it cannot start (or the source cannot be stored).
    bool startRefine(QString *why = nullptr);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void fillSources();
    void updateSteps();
    void paste();
    // The init image as a file in the story's folder: its absolute path and project-relative name.
    bool storeSource(RefineParams *params, QString *why);

    StoryDocument *m_document;
    RenderQueue *m_queue;
    int m_panel;
    QImage m_init;
    QString m_sourcePath; // a file (a variant's, or the user's); empty for a pasted image
    QImage m_pasted;      // a pasted image, saved into the story's folder when the refine starts
    ImagePreview *m_initView;
    ImagePreview *m_resultView;
    QComboBox *m_source;
    QPushButton *m_openFile;
    QPushButton *m_pasteButton;
    QSlider *m_strength;
    QLabel *m_strengthValue;
    QLabel *m_steps;
    QLabel *m_status;
    QPushButton *m_refine;
};

} // namespace studio::ui
