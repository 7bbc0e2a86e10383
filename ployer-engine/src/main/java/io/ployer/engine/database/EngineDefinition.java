package io.ployer.engine.database;

import io.ployer.api.database.DatabaseEngine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What Ployer needs to know to run one database engine, as data: image, port, data directory, the
 * variables that make its user, and the commands (run in its container, secrets only in their
 * environment) for readiness, dump, restore and a check query. One record per engine, not a class.
 *
 * @param engine          engine
 * @param image           default image, without tag
 * @param defaultVersion  default tag
 * @param port            port inside the container
 * @param dataDirectory   the directory the data volume is mounted on
 * @param urlScheme       scheme of the connection URL handed to linked applications
 * @param dumpSuffix      file suffix of a dump (before {@code .gz})
 * @param tested          whether Ployer's tests run it against a real server
 */
public record EngineDefinition(DatabaseEngine engine, String image, String defaultVersion, int port, String dataDirectory,
                               String urlScheme, String dumpSuffix, boolean tested) {
    public EngineDefinition {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(image, "image");
    }

    /** The file a restore copies the dump to inside the container. */
    static final String RESTORE_DIRECTORY = "/tmp";
    static final String RESTORE_FILE = "ployer-restore";

    /** The catalogue of engines with their official images. */
    public static Map<DatabaseEngine, EngineDefinition> catalogue() {
        Map<DatabaseEngine, EngineDefinition> all = new LinkedHashMap<>();
        all.put(DatabaseEngine.POSTGRESQL, new EngineDefinition(DatabaseEngine.POSTGRESQL, "postgres", "15", 5432,
                "/var/lib/postgresql/data", "postgresql", "pgdump", true));
        all.put(DatabaseEngine.MYSQL, new EngineDefinition(DatabaseEngine.MYSQL, "mysql", "8.4", 3306, "/var/lib/mysql",
                "mysql", "sql", false));
        all.put(DatabaseEngine.MARIADB, new EngineDefinition(DatabaseEngine.MARIADB, "mariadb", "10.11", 3306,
                "/var/lib/mysql", "mysql", "sql", true));
        all.put(DatabaseEngine.REDIS, new EngineDefinition(DatabaseEngine.REDIS, "redis", "7", 6379, "/data", "redis", "rdb",
                true));
        all.put(DatabaseEngine.MONGODB, new EngineDefinition(DatabaseEngine.MONGODB, "mongo", "7", 27017, "/data/db",
                "mongodb", "archive", false));
        return all;
    }

    /** The container's variables that make the user, password and database on first start (the official images' names). */
    Map<String, String> containerEnvironment(String user, String password, String database) {
        return switch (engine) {
            case POSTGRESQL -> Map.of("POSTGRES_USER", user, "POSTGRES_PASSWORD", password, "POSTGRES_DB", database);
            case MYSQL -> Map.of("MYSQL_ROOT_PASSWORD", password, "MYSQL_USER", user, "MYSQL_PASSWORD", password,
                    "MYSQL_DATABASE", database);
            case MARIADB -> Map.of("MARIADB_ROOT_PASSWORD", password, "MARIADB_USER", user, "MARIADB_PASSWORD", password,
                    "MARIADB_DATABASE", database);
            case REDIS -> Map.of();
            case MONGODB -> Map.of("MONGO_INITDB_ROOT_USERNAME", user, "MONGO_INITDB_ROOT_PASSWORD", password);
        };
    }

    /** The container's command, empty for the image's own. Redis takes its password from a file-less option set at start. */
    List<String> containerCommand() {
        return engine == DatabaseEngine.REDIS
                // The password comes from the variable, not the command line (sh expands it inside the container).
                ? List.of("sh", "-c", "exec redis-server --requirepass \"$REDIS_PASSWORD\" --appendonly no --save 60 1")
                : List.of();
    }

    /** Variables only Redis' command reads. */
    Map<String, String> extraContainerEnvironment(String password) {
        return engine == DatabaseEngine.REDIS ? Map.of("REDIS_PASSWORD", password) : Map.of();
    }

    /** The variables the commands below read their password from. */
    Map<String, String> commandEnvironment(String password) {
        return switch (engine) {
            case POSTGRESQL -> Map.of("PGPASSWORD", password);
            case MYSQL, MARIADB -> Map.of("MYSQL_PWD", password);
            case REDIS -> Map.of("REDISCLI_AUTH", password);
            case MONGODB -> Map.of("MONGO_PASSWORD", password);
        };
    }

    /** Exits 0 when the server accepts connections over TCP (a first-start temporary server does not). */
    List<String> readinessCommand(String user, String database) {
        return switch (engine) {
            case POSTGRESQL -> List.of("pg_isready", "-h", "127.0.0.1", "-U", user, "-d", database);
            case MYSQL, MARIADB -> List.of("sh", "-c", mysqlTool("mysqladmin", "mariadb-admin")
                    + " ping -h127.0.0.1 -uroot --silent");
            case REDIS -> List.of("sh", "-c", "redis-cli -h 127.0.0.1 ping | grep -q PONG");
            case MONGODB -> List.of("sh", "-c", "mongosh --quiet -u \"$1\" -p \"$MONGO_PASSWORD\" --eval 'db.runCommand({ping:1})'",
                    "sh", user);
        };
    }

    /** Writes the dump to standard output. */
    List<String> dumpCommand(String user, String database) {
        return switch (engine) {
            case POSTGRESQL -> List.of("pg_dump", "-Fc", "-h", "127.0.0.1", "-U", user, "-d", database);
            case MYSQL, MARIADB -> List.of("sh", "-c", mysqlTool("mysqldump", "mariadb-dump")
                    + " -h127.0.0.1 -uroot --single-transaction --routines --databases \"$1\"", "sh", database);
            case REDIS -> List.of("sh", "-c", "redis-cli -h 127.0.0.1 --rdb /tmp/ployer-dump.rdb >/dev/null"
                    + " && cat /tmp/ployer-dump.rdb && rm -f /tmp/ployer-dump.rdb");
            case MONGODB -> List.of("sh", "-c", "mongodump --quiet -u \"$1\" -p \"$MONGO_PASSWORD\" --authenticationDatabase admin"
                    + " --archive", "sh", user);
        };
    }

    /** Restores the dump found at {@link #RESTORE_DIRECTORY}/{@link #RESTORE_FILE}; Redis restores by file swap instead. */
    List<String> restoreCommand(String user, String database) {
        String file = RESTORE_DIRECTORY + "/" + RESTORE_FILE;
        return switch (engine) {
            case POSTGRESQL -> List.of("sh", "-c", "pg_restore -h 127.0.0.1 -U \"$1\" -d \"$2\" --clean --if-exists --no-owner \"$3\""
                    + " && rm -f \"$3\"", "sh", user, database, file);
            // The dump names the database it was taken of: without those lines it goes into this one (a new one may differ).
            case MYSQL, MARIADB -> List.of("sh", "-c", "sed -e '/^CREATE DATABASE /d' -e '/^USE `/d' \"$1\" | "
                    + mysqlTool("mysql", "mariadb") + " -h127.0.0.1 -uroot \"$2\" && rm -f \"$1\"", "sh", file, database);
            case REDIS -> throw new IllegalStateException("Redis is restored by replacing its dump file");
            case MONGODB -> List.of("sh", "-c", "mongorestore --quiet --drop -u \"$1\" -p \"$MONGO_PASSWORD\""
                    + " --authenticationDatabase admin --archive=\"$2\"", "sh", user, file);
        };
    }

    /** Prints one number: how many tables (keys for Redis) the database holds; a restored backup must give at least one. */
    List<String> checkCommand(String user, String database) {
        return switch (engine) {
            case POSTGRESQL -> List.of("psql", "-h", "127.0.0.1", "-U", user, "-d", database, "-tAc",
                    "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')");
            case MYSQL, MARIADB -> List.of("sh", "-c", mysqlTool("mysql", "mariadb") + " -h127.0.0.1 -uroot -N -e"
                    + " \"SELECT count(*) FROM information_schema.tables WHERE table_schema = '$1'\"", "sh", database);
            case REDIS -> List.of("redis-cli", "-h", "127.0.0.1", "dbsize");
            case MONGODB -> List.of("sh", "-c", "mongosh --quiet -u \"$1\" -p \"$MONGO_PASSWORD\" --eval"
                    + " 'db.getMongo().getDBNames().length'", "sh", user);
        };
    }

    /** MySQL's images have the first name, MariaDB 11's only the second. */
    private static String mysqlTool(String mysqlName, String mariadbName) {
        return "$(command -v " + mariadbName + " || command -v " + mysqlName + ")";
    }

    /** The connection URL for a linked application. */
    String url(String host, String user, String password, String database) {
        String credentials = engine == DatabaseEngine.REDIS ? ":" + encode(password) : encode(user) + ":" + encode(password);
        String path = engine == DatabaseEngine.REDIS ? "/0" : "/" + database;
        return urlScheme + "://" + credentials + "@" + host + ":" + port + path;
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
