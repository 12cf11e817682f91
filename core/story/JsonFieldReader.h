#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace studio::story {

// Short, single-line rendering of a JSON value for error messages.
QString describeJsonValue(const QJsonValue &v);

// Reads fields out of JSON objects, remembering the first problem with its field path ("panels[2].seed"). After a
// failure every further read is a no-op, so the parsing code can stay linear. Shared by the story file's parts.
class JsonFieldReader
{
public:
    bool ok() const { return m_error.isEmpty(); }
    const QString &error() const { return m_error; }

    void fail(const QString &field, const QString &problem);

    // Returns the value or Undefined; reports a missing required field.
    QJsonValue get(const QJsonObject &obj, const QString &path, const QString &key, bool required);

    void readString(const QJsonObject &obj, const QString &path, const QString &key, QString *out,
                    bool required = false);
    void readInteger(const QJsonObject &obj, const QString &path, const QString &key, qint64 lo, qint64 hi, qint64 *out,
                     bool required = false);
    void readInt(const QJsonObject &obj, const QString &path, const QString &key, int lo, int hi, int *out,
                 bool required = false);
    void readDouble(const QJsonObject &obj, const QString &path, const QString &key, double lo, double hi, double *out,
                    bool required = false);
    void readBool(const QJsonObject &obj, const QString &path, const QString &key, bool *out, bool required = false);
    // Returns the object (empty when absent and optional); reports wrong types.
    QJsonObject readObject(const QJsonObject &obj, const QString &path, const QString &key, bool required = false);
    QJsonArray readArray(const QJsonObject &obj, const QString &path, const QString &key, bool required = false);
    // The value when present and of the type `is` tests for; else null, and a wrong type is reported.
    QJsonValue readOfType(const QJsonObject &obj, const QString &path, const QString &key, bool required,
                          bool (QJsonValue::*is)() const, const char *expected);

    static QString join(const QString &path, const QString &key)
    {
        return path.isEmpty() ? key : path + QLatin1Char('.') + key;
    }

private:
    QString m_error;
};

} // namespace studio::story
