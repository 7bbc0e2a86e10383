package io.ployer.api.database;

/** The database engines Ployer runs. MongoDB is declared but not tested against a real server yet. */
public enum DatabaseEngine {
    POSTGRESQL,
    MYSQL,
    MARIADB,
    REDIS,
    MONGODB
}
