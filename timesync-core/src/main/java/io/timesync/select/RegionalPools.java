package io.timesync.select;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps a time zone to the NTP pool's zones (pool.ntp.org/zone): the country zone where the pool
 * has one, then the continental zone. These are preferred candidates; the global pool stays in the
 * candidate set, because measurements decide, not the assumption that near means good.
 */
public final class RegionalPools {

    /** The global pool. */
    public static final String GLOBAL = "pool.ntp.org";

    // Time zone -> ISO country code, for the zones of the world's populous countries and every EU
    // member; a zone not listed still gets its continental zone from its prefix.
    private static final Map<String, String> COUNTRY = Map.ofEntries(
            Map.entry("Europe/Berlin", "de"), Map.entry("Europe/Paris", "fr"), Map.entry("Europe/London", "uk"),
            Map.entry("Europe/Madrid", "es"), Map.entry("Europe/Rome", "it"), Map.entry("Europe/Amsterdam", "nl"),
            Map.entry("Europe/Brussels", "be"), Map.entry("Europe/Vienna", "at"), Map.entry("Europe/Zurich", "ch"),
            Map.entry("Europe/Stockholm", "se"), Map.entry("Europe/Oslo", "no"), Map.entry("Europe/Copenhagen", "dk"),
            Map.entry("Europe/Helsinki", "fi"), Map.entry("Europe/Warsaw", "pl"), Map.entry("Europe/Prague", "cz"),
            Map.entry("Europe/Budapest", "hu"), Map.entry("Europe/Bucharest", "ro"), Map.entry("Europe/Sofia", "bg"),
            Map.entry("Europe/Athens", "gr"), Map.entry("Europe/Lisbon", "pt"), Map.entry("Europe/Dublin", "ie"),
            Map.entry("Europe/Kiev", "ua"), Map.entry("Europe/Kyiv", "ua"), Map.entry("Europe/Moscow", "ru"),
            Map.entry("Europe/Istanbul", "tr"), Map.entry("Europe/Bratislava", "sk"), Map.entry("Europe/Ljubljana", "si"),
            Map.entry("Europe/Zagreb", "hr"), Map.entry("Europe/Vilnius", "lt"), Map.entry("Europe/Riga", "lv"),
            Map.entry("Europe/Tallinn", "ee"), Map.entry("Europe/Luxembourg", "lu"), Map.entry("Europe/Malta", "mt"),
            Map.entry("Asia/Nicosia", "cy"), Map.entry("Europe/Belgrade", "rs"),
            Map.entry("Asia/Kolkata", "in"), Map.entry("Asia/Calcutta", "in"), Map.entry("Asia/Shanghai", "cn"),
            Map.entry("Asia/Tokyo", "jp"), Map.entry("Asia/Seoul", "kr"), Map.entry("Asia/Singapore", "sg"),
            Map.entry("Asia/Hong_Kong", "hk"), Map.entry("Asia/Taipei", "tw"), Map.entry("Asia/Jakarta", "id"),
            Map.entry("Asia/Bangkok", "th"), Map.entry("Asia/Manila", "ph"), Map.entry("Asia/Ho_Chi_Minh", "vn"),
            Map.entry("Asia/Kuala_Lumpur", "my"), Map.entry("Asia/Karachi", "pk"), Map.entry("Asia/Dhaka", "bd"),
            Map.entry("Asia/Tehran", "ir"), Map.entry("Asia/Jerusalem", "il"), Map.entry("Asia/Dubai", "ae"),
            Map.entry("Asia/Riyadh", "sa"),
            Map.entry("America/New_York", "us"), Map.entry("America/Chicago", "us"), Map.entry("America/Denver", "us"),
            Map.entry("America/Los_Angeles", "us"), Map.entry("America/Phoenix", "us"), Map.entry("America/Anchorage", "us"),
            Map.entry("Pacific/Honolulu", "us"), Map.entry("America/Toronto", "ca"), Map.entry("America/Vancouver", "ca"),
            Map.entry("America/Montreal", "ca"), Map.entry("America/Mexico_City", "mx"), Map.entry("America/Sao_Paulo", "br"),
            Map.entry("America/Argentina/Buenos_Aires", "ar"), Map.entry("America/Buenos_Aires", "ar"),
            Map.entry("America/Santiago", "cl"), Map.entry("America/Bogota", "co"), Map.entry("America/Lima", "pe"),
            Map.entry("Africa/Johannesburg", "za"), Map.entry("Africa/Cairo", "eg"), Map.entry("Africa/Lagos", "ng"),
            Map.entry("Africa/Nairobi", "ke"), Map.entry("Africa/Casablanca", "ma"),
            Map.entry("Australia/Sydney", "au"), Map.entry("Australia/Melbourne", "au"), Map.entry("Australia/Brisbane", "au"),
            Map.entry("Australia/Perth", "au"), Map.entry("Australia/Adelaide", "au"), Map.entry("Pacific/Auckland", "nz"));

    // Country -> continental pool zone, for countries whose zone's prefix does not say it.
    private static final Map<String, String> CONTINENT_OF_COUNTRY = Map.ofEntries(
            Map.entry("us", "north-america"), Map.entry("ca", "north-america"), Map.entry("mx", "north-america"),
            Map.entry("br", "south-america"), Map.entry("ar", "south-america"), Map.entry("cl", "south-america"),
            Map.entry("co", "south-america"), Map.entry("pe", "south-america"), Map.entry("cy", "europe"),
            Map.entry("tr", "europe"), Map.entry("nz", "oceania"), Map.entry("au", "oceania"));

    private RegionalPools() {
    }

    /** The pool zones for {@code zone}, most specific first, then the global pool. */
    public static List<String> forZone(ZoneId zone) {
        String id = zone.getId();
        List<String> pools = new ArrayList<>(3);
        String country = COUNTRY.get(id);
        if (country != null) {
            pools.add(country + "." + GLOBAL);
        }
        String continent = continent(id, country);
        if (continent != null) {
            pools.add(continent + "." + GLOBAL);
        }
        pools.add(GLOBAL);
        return pools;
    }

    /**
     * The pool zones for a region named by the user: a time zone ({@code Europe/Berlin}), a country
     * code ({@code de}) or a continental zone ({@code europe}).
     *
     * @throws IllegalArgumentException when the name is none of these
     */
    public static List<String> forRegion(String region) {
        String r = region.trim();
        if (r.contains("/")) {
            try {
                return forZone(ZoneId.of(r));
            } catch (java.time.DateTimeException e) {
                throw new IllegalArgumentException("unknown time zone '" + r + "' (expected e.g. Europe/Berlin)", e);
            }
        }
        String lower = r.toLowerCase(Locale.ROOT);
        if (List.of("africa", "asia", "europe", "north-america", "oceania", "south-america").contains(lower)) {
            return List.of(lower + "." + GLOBAL, GLOBAL);
        }
        if (lower.matches("[a-z]{2}")) {
            String continent = CONTINENT_OF_COUNTRY.get(lower);
            if (continent == null) {
                for (Map.Entry<String, String> e : COUNTRY.entrySet()) {
                    if (e.getValue().equals(lower)) {
                        continent = continent(e.getKey(), lower);
                        break;
                    }
                }
            }
            return continent == null ? List.of(lower + "." + GLOBAL, GLOBAL)
                    : List.of(lower + "." + GLOBAL, continent + "." + GLOBAL, GLOBAL);
        }
        throw new IllegalArgumentException("unknown region '" + r
                + "': expected a time zone (Europe/Berlin), a country code (de) or a continent (europe)");
    }

    private static String continent(String zoneId, String country) {
        if (country != null && CONTINENT_OF_COUNTRY.containsKey(country)) {
            return CONTINENT_OF_COUNTRY.get(country);
        }
        int slash = zoneId.indexOf('/');
        if (slash < 0) {
            return null;
        }
        switch (zoneId.substring(0, slash)) {
            case "Europe": return "europe";
            case "Asia": return "asia";
            case "Africa": return "africa";
            case "Australia": return "oceania";
            case "Pacific": return "oceania";
            case "America": return southAmerican(zoneId) ? "south-america" : "north-america";
            default: return null;
        }
    }

    private static boolean southAmerican(String zoneId) {
        return zoneId.startsWith("America/Argentina/") || List.of("America/Sao_Paulo", "America/Santiago",
                "America/Bogota", "America/Lima", "America/Caracas", "America/La_Paz", "America/Montevideo",
                "America/Asuncion", "America/Guayaquil", "America/Cayenne", "America/Paramaribo", "America/Guyana",
                "America/Manaus", "America/Fortaleza", "America/Recife", "America/Belem", "America/Bahia")
                .contains(zoneId);
    }
}
