#pragma once

// Shared by the aesthetic tests: the golden fixture folder and its case list (cases.json), so that every test runs
// over whatever cases the fixture holds (the hidden set has other sizes, layer counts and images).

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

namespace aesthetic_test {

inline QString fixtureDir()
{
    return QStringLiteral(STUDIO_TEST_DATA_DIR "/golden/aesthetic-tiny");
}
inline QString fixturePath(const QString &name)
{
    return fixtureDir() + QLatin1Char('/') + name;
}

struct GoldenCase
{
    QString id;
    bool single = true;     // one image; false for a batch case
    QStringList images;     // absolute paths
    QVector<double> scores; // cases.json's scores (the CLI test compares against them)
    int resizedWidth = 0;   // single cases only
    int resizedHeight = 0;
};

inline QJsonObject readJsonObject(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

inline QVector<GoldenCase> readCases()
{
    QVector<GoldenCase> cases;
    const QJsonArray list =
        readJsonObject(fixturePath(QStringLiteral("cases.json"))).value(QLatin1String("cases")).toArray();
    for (const QJsonValue &value : list) {
        const QJsonObject o = value.toObject();
        GoldenCase c;
        c.id = o.value(QLatin1String("id")).toString();
        c.single = o.value(QLatin1String("kind")).toString() == QLatin1String("single");
        for (const QJsonValue &image : o.value(QLatin1String("images")).toArray())
            c.images.append(fixturePath(image.toString()));
        for (const QJsonValue &score : o.value(QLatin1String("score")).toArray())
            c.scores.append(score.toDouble());
        const QJsonArray wh = o.value(QLatin1String("resized_wh")).toArray();
        if (wh.size() == 2) {
            c.resizedWidth = wh.at(0).toInt();
            c.resizedHeight = wh.at(1).toInt();
        }
        cases.append(c);
    }
    return cases;
}

} // namespace aesthetic_test
