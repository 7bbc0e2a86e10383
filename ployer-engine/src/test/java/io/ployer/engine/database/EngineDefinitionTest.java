package io.ployer.engine.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.database.DatabaseEngine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineDefinitionTest {
    private static final String PASSWORD = "p@ss/word:with&specials";

    @Test
    void everyEngineHasADefinition() {
        assertThat(EngineDefinition.catalogue()).containsOnlyKeys(DatabaseEngine.values());
        assertThat(EngineDefinition.catalogue().values()).filteredOn(EngineDefinition::tested).extracting(EngineDefinition::engine)
                .contains(DatabaseEngine.POSTGRESQL, DatabaseEngine.MARIADB, DatabaseEngine.REDIS);
    }

    @Test
    void passwordsReachTheToolsThroughTheirEnvironmentNeverACommandLine() {
        for (EngineDefinition definition : EngineDefinition.catalogue().values()) {
            List<String> commands = new ArrayList<>();
            commands.addAll(definition.readinessCommand("ployer", "app"));
            commands.addAll(definition.dumpCommand("ployer", "app"));
            commands.addAll(definition.checkCommand("ployer", "app"));
            commands.addAll(definition.containerCommand());
            if (definition.engine() != DatabaseEngine.REDIS) {
                commands.addAll(definition.restoreCommand("ployer", "app"));
            }
            assertThat(commands).as(definition.engine().name()).noneMatch(argument -> argument.contains(PASSWORD));
            assertThat(definition.commandEnvironment(PASSWORD)).as(definition.engine().name()).containsValue(PASSWORD);
        }
    }

    @Test
    void theConnectionUrlEncodesTheCredentials() {
        EngineDefinition postgres = EngineDefinition.catalogue().get(DatabaseEngine.POSTGRESQL);
        assertThat(postgres.url("shop-db", "ployer", PASSWORD, "shop_db"))
                .isEqualTo("postgresql://ployer:p%40ss%2Fword%3Awith%26specials@shop-db:5432/shop_db");
        EngineDefinition redis = EngineDefinition.catalogue().get(DatabaseEngine.REDIS);
        assertThat(redis.url("cache", "default", "secret", "0")).isEqualTo("redis://:secret@cache:6379/0");
    }

    @Test
    void aBadCronScheduleIsRefusedNamingTheField() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BackupScheduler.validate("every night"))
                .isInstanceOfSatisfying(io.ployer.api.PloyerException.class, e -> assertThat(e.field()).contains("schedule"));
        assertThat(BackupScheduler.validate("0 3 * * *")).isNotNull();
    }
}
