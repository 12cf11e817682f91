#pragma once

#include "TrainingTypes.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace studio::ui {

// The hyper-parameters of a training run, with the challenge baseline's values as defaults (rank 16, α 4,
// lr 1e-4, 500 steps, 1024 px, seed 0).
class TrainingSettingsForm : public QWidget
{
    Q_OBJECT
public:
    explicit TrainingSettingsForm(QWidget *parent = nullptr);

    // Fills the hyper-parameter fields of `job` (not the paths).
    void apply(TrainingJob *job) const;
    void setValues(const TrainingJob &job);
    // The learning rate field, parsed; false when it is not a positive number.
    bool learningRate(double *value) const;
    void retranslate();

private:
    QGridLayout *m_grid;
    QList<QLabel *> m_labels; // in the order of the fields
    QSpinBox *m_rank;
    QDoubleSpinBox *m_alpha;
    QLineEdit *m_learningRate;
    QSpinBox *m_steps;
    QSpinBox *m_resolution;
    QSpinBox *m_seed;
    QComboBox *m_precision;
    QComboBox *m_device;
    QSpinBox *m_saveEvery;
    QSpinBox *m_sampleEvery;
    QLineEdit *m_samplePrompt;
};

} // namespace studio::ui
