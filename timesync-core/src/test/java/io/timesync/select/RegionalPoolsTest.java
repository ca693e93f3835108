package io.timesync.select;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.ZoneId;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RegionalPoolsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Asia/Kolkata|in.pool.ntp.org asia.pool.ntp.org pool.ntp.org",
        "Europe/Berlin|de.pool.ntp.org europe.pool.ntp.org pool.ntp.org",
        "America/New_York|us.pool.ntp.org north-america.pool.ntp.org pool.ntp.org",
        "America/Sao_Paulo|br.pool.ntp.org south-america.pool.ntp.org pool.ntp.org",
        "America/Argentina/Cordoba|south-america.pool.ntp.org pool.ntp.org",
        "America/Winnipeg|north-america.pool.ntp.org pool.ntp.org",
        "Australia/Sydney|au.pool.ntp.org oceania.pool.ntp.org pool.ntp.org",
        "Pacific/Auckland|nz.pool.ntp.org oceania.pool.ntp.org pool.ntp.org",
        "Africa/Lagos|ng.pool.ntp.org africa.pool.ntp.org pool.ntp.org",
        "Europe/Tirane|europe.pool.ntp.org pool.ntp.org",
        "Asia/Nicosia|cy.pool.ntp.org europe.pool.ntp.org pool.ntp.org",
        "UTC|pool.ntp.org",
        "Etc/GMT+3|pool.ntp.org"})
    void mapsTimeZonesToPoolZones(String zone, String pools) {
        assertThat(RegionalPools.forZone(ZoneId.of(zone))).isEqualTo(Arrays.asList(pools.split(" ")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "de|de.pool.ntp.org europe.pool.ntp.org pool.ntp.org",
        "US|us.pool.ntp.org north-america.pool.ntp.org pool.ntp.org",
        "europe|europe.pool.ntp.org pool.ntp.org",
        "Asia/Tokyo|jp.pool.ntp.org asia.pool.ntp.org pool.ntp.org",
        "zz|zz.pool.ntp.org pool.ntp.org"})
    void mapsUserRegions(String region, String pools) {
        assertThat(RegionalPools.forRegion(region)).isEqualTo(Arrays.asList(pools.split(" ")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mars/Olympus", "atlantis", "d3"})
    void rejectsUnknownRegions(String region) {
        assertThatIllegalArgumentException().isThrownBy(() -> RegionalPools.forRegion(region)).withMessageContaining(region);
    }
}
