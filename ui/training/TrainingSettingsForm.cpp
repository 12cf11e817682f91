#include "TrainingSettingsForm.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDoubleValidator>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSpinBox>

#include <cmath>

namespace studio::ui {

TrainingSettingsForm::TrainingSettingsForm(QWidget *parent)
    : QWidget(parent), m_grid(new QGridLayout(this)), m_rank(new QSpinBox), m_alpha(new QDoubleSpinBox),
      m_learningRate(new QLineEdit), m_steps(new QSpinBox), m_resolution(new QSpinBox), m_seed(new QSpinBox),
      m_precision(new QComboBox), m_device(new QComboBox), m_saveEvery(new QSpinBox), m_sampleEvery(new QSpinBox),
      m_samplePrompt(new QLineEdit)
{
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_rank->setRange(1, 256);
    m_rank->setValue(16);
    m_alpha->setRange(0.01, 1024);
    m_alpha->setValue(4.0);
    m_learningRate->setText(QStringLiteral("1e-4"));
    m_steps->setRange(1, 1000000);
    m_steps->setValue(500);
    m_resolution->setRange(8, 4096);
    m_resolution->setSingleStep(64);
    m_resolution->setValue(1024);
    m_seed->setRange(0, 2147483647);
    m_precision->addItem(QString(), QStringLiteral("auto"));
    m_precision->addItem(QStringLiteral("fp32"), QStringLiteral("fp32"));
    m_precision->addItem(QStringLiteral("fp16"), QStringLiteral("fp16"));
    m_precision->addItem(QStringLiteral("bf16"), QStringLiteral("bf16"));
    m_device->addItem(QString(), QStringLiteral("auto"));
    m_device->addItem(QStringLiteral("CPU"), QStringLiteral("cpu"));
    m_device->addItem(QStringLiteral("CUDA"), QStringLiteral("cuda"));
    m_saveEvery->setRange(0, 1000000);
    m_saveEvery->setValue(100);
    m_sampleEvery->setRange(0, 1000000);
    m_sampleEvery->setValue(100);
    for (QWidget *w : {static_cast<QWidget *>(m_rank), static_cast<QWidget *>(m_alpha),
                       static_cast<QWidget *>(m_learningRate), static_cast<QWidget *>(m_steps),
                       static_cast<QWidget *>(m_resolution), static_cast<QWidget *>(m_seed),
                       static_cast<QWidget *>(m_precision), static_cast<QWidget *>(m_device),
                       static_cast<QWidget *>(m_saveEvery), static_cast<QWidget *>(m_sampleEvery),
                       static_cast<QWidget *>(m_samplePrompt)}) {
        // Two label/field pairs per row keep the page under 768 px high; the prompt gets a row of its own.
        const int index = int(m_labels.size());
        auto *label = new QLabel;
        m_labels.append(label);
        const bool wide = w == m_samplePrompt;
        const int row = index / 2, column = wide ? 0 : (index % 2) * 2;
        m_grid->addWidget(label, row, column);
        m_grid->addWidget(w, row, column + 1, 1, wide ? 3 : 1);
    }
    m_grid->setColumnStretch(1, 1);
    m_grid->setColumnStretch(3, 1);
    retranslate();
}

void TrainingSettingsForm::retranslate()
{
    const QStringList labels{tr("Rank"),       tr("Alpha (α)"),  tr("Learning rate"), tr("Steps"),
                             tr("Resolution"), tr("Seed"),       tr("Precision"),     tr("Device"),
                             tr("Save every N steps"), tr("Sample every N steps"),
                             tr("Sample prompt")};
    for (int i = 0; i < labels.size() && i < m_labels.size(); ++i)
        m_labels[i]->setText(labels[i]);
    m_resolution->setSuffix(tr(" px"));
    m_precision->setItemText(0, tr("Automatic (fp16 on CUDA, fp32 on the CPU)"));
    m_device->setItemText(0, tr("Automatic"));
    m_samplePrompt->setPlaceholderText(tr("e.g. 二次元，一个紫色长发小女孩"));
    m_rank->setToolTip(tr("LoRA rank: more capacity, a larger file"));
    m_alpha->setToolTip(tr("The LoRA's scale is α / rank"));
    m_saveEvery->setToolTip(tr("Write the LoRA so far and a state to resume from every N steps (0: never)"));
    m_sampleEvery->setToolTip(tr("Render the sample prompt with the LoRA so far every N steps (0: never)"));
}

bool TrainingSettingsForm::learningRate(double *value) const
{
    bool ok = false;
    double lr = m_learningRate->text().trimmed().toDouble(&ok); // C locale: "1e-4", "0.0001"
    if (!ok)
        lr = QLocale().toDouble(m_learningRate->text().trimmed(), &ok);
    if (!ok || !std::isfinite(lr) || lr <= 0)
        return false;
    *value = lr;
    return true;
}

void TrainingSettingsForm::apply(TrainingJob *job) const
{
    job->rank = m_rank->value();
    job->alpha = m_alpha->value();
    learningRate(&job->learningRate);
    job->steps = m_steps->value();
    job->resolution = m_resolution->value();
    job->seed = quint64(m_seed->value());
    job->precision = m_precision->currentData().toString();
    job->device = m_device->currentData().toString();
    job->saveEvery = m_saveEvery->value();
    job->sampleEvery = m_sampleEvery->value();
    job->samplePrompt = m_samplePrompt->text().trimmed();
}

void TrainingSettingsForm::setValues(const TrainingJob &job)
{
    m_rank->setValue(job.rank);
    m_alpha->setValue(job.alpha);
    m_learningRate->setText(QString::number(job.learningRate, 'g', 6));
    m_steps->setValue(job.steps);
    m_resolution->setValue(job.resolution);
    m_seed->setValue(int(job.seed));
    m_precision->setCurrentIndex(qMax(0, m_precision->findData(job.precision)));
    m_device->setCurrentIndex(qMax(0, m_device->findData(job.device)));
    m_saveEvery->setValue(job.saveEvery);
    m_sampleEvery->setValue(job.sampleEvery);
    m_samplePrompt->setText(job.samplePrompt);
}

} // namespace studio::ui
