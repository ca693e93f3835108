package io.timesync.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timesync.time.ProbeOptions;
import io.timesync.time.ServerAddress;
import io.timesync.app.telemetry.Notifier;
import io.timesync.nts.NtsKeClient;
import io.timesync.select.Optimizer.Strategy;
import io.timesync.select.SelectionPolicy;
import io.timesync.text.Printable;
import io.timesync.text.JsonErrorText;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The settings of a configuration file ({@code --config}), JSON or Java properties; every key is
 * optional, and the command line wins over the file ({@link Configuration} puts them together).
 * docs/configuration.md has an example.
 */
public final class ConfigFile {

    /** The keys a file may set. */
    public static final Set<String> KEYS = Set.of("servers", "pool", "region", "strategy", "samples", "spacing", "timeout",
            "concurrency", "minScore", "minStratum", "maxStratum", "hysteresisPercent", "stabilityThreshold",
            "maxSelected", "failuresToBlacklist", "blacklistCooldown", "weights.jitter", "weights.reachability",
            "weights.stratum", "weights.latency", "stateDir", "nts", "ntsTrust", "requireNts", "ownServers", "runPerPoll", "notify.webhook",
            "notify.events", "notify.minInterval", "notify.smtp.host", "notify.smtp.port", "notify.smtp.starttls",
            "notify.smtp.username", "notify.smtp.passwordEnv", "notify.smtp.from", "notify.smtp.to", "notify.smtp.trust");

    /** The keys of a server entry given as an object in the JSON {@code servers} list. */
    public static final Set<String> SERVER_KEYS = Set.of("host", "nts");

    private final Map<String, String> values;
    private final String source;
    private final boolean onlyNtsServers;

    private ConfigFile(Map<String, String> values, String source, boolean onlyNtsServers) {
        this.values = values;
        this.source = source;
        this.onlyNtsServers = onlyNtsServers;
    }

    /** No file: everything default. */
    public static ConfigFile none() {
        return new ConfigFile(Map.of(), "defaults", false);
    }

    /**
     * Reads a JSON ({@code .json}, or content starting with '{') or properties file.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static ConfigFile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the configuration " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        boolean onlyNts = false;
        if (file.toString().endsWith(".json") || text.stripLeading().startsWith("{")) {
            try {
                JsonNode root = new ObjectMapper().readTree(text);
                if (root == null || !root.isObject()) {
                    throw new IllegalArgumentException("the configuration " + file + " is not a JSON object");
                }
                onlyNts = splitServers((ObjectNode) root, file);
                flatten("", root, values);
            } catch (IOException e) {
                throw new IllegalArgumentException("the configuration " + file + " is not valid JSON: "
                        + JsonErrorText.of(e), e);
            }
        } else {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("the configuration " + file + " is not a valid properties file: "
                        + e.getMessage(), e);
            }
            for (String key : properties.stringPropertyNames()) {
                values.put(key, properties.getProperty(key).trim());
            }
        }
        for (String key : values.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "' in " + file + "; known keys: "
                        + String.join(", ", KEYS.stream().sorted().toList()));
            }
        }
        return new ConfigFile(values, file.toString(), onlyNts);
    }

    /**
     * Moves the {@code servers} entries written as {@code {"host": "HOST[:KE-PORT]", "nts": true}}
     * to the {@code nts} list (after any given there), so that both forms mean the same; an object
     * with {@code "nts": false} is a plain server. Returns whether the list named only NTS servers.
     */
    private static boolean splitServers(ObjectNode root, Path file) {
        JsonNode servers = root.get("servers");
        if (servers == null || !servers.isArray()) {
            return false;
        }
        ArrayNode plain = root.arrayNode();
        ArrayNode nts = root.arrayNode();
        JsonNode listed = root.get("nts");
        if (listed != null && listed.isArray()) {
            nts.addAll((ArrayNode) listed);
        } else if (listed != null && !listed.isNull()) {
            nts.add(listed);
        }
        int index = 0;
        for (JsonNode entry : servers) {
            String where = "in " + file + ", servers[" + index++ + "]";
            if (!entry.isObject()) {
                plain.add(entry);
                continue;
            }
            for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!SERVER_KEYS.contains(name)) {
                    throw new IllegalArgumentException(where + ": unknown key '" + name + "'; a server entry takes "
                            + String.join(", ", SERVER_KEYS.stream().sorted().toList()));
                }
            }
            JsonNode host = entry.get("host");
            if (host == null || !host.isTextual()) {
                throw new IllegalArgumentException(where + ": a server entry needs \"host\": \"HOST[:PORT]\"");
            }
            JsonNode isNts = entry.get("nts");
            if (isNts != null && !isNts.isBoolean()) {
                throw new IllegalArgumentException(where + ": nts must be true or false, got " + isNts);
            }
            (isNts != null && isNts.booleanValue() ? nts : plain).add(host);
        }
        root.set("servers", plain);
        if (!nts.isEmpty()) {
            root.set("nts", nts);
        }
        return plain.isEmpty() && !servers.isEmpty();
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(key + ".", value, out);
            } else if (value.isArray()) {
                List<String> items = new ArrayList<>();
                value.forEach(item -> items.add(item.asText()));
                out.put(key, String.join(",", items));
            } else if (!value.isNull()) {
                out.put(key, value.asText());
            }
        }
    }

    /** The plain NTP servers ({@code HOST[:PORT]}) it names. */
    public List<ServerAddress> servers() {
        return serverList("servers", ServerAddress.NTP_PORT);
    }

    /**
     * NTS servers ({@code HOST[:KE-PORT]}), measured with authentication: the {@code nts} list, then
     * the {@code servers} entries marked {@code "nts": true}.
     */
    public List<ServerAddress> ntsServers() {
        return serverList("nts", NtsKeClient.DEFAULT_PORT);
    }

    /**
     * Whether the file's {@code servers} are all NTS servers: then they replace the default
     * candidates, and no plain server is probed unless named elsewhere.
     */
    public boolean onlyNtsServers() {
        return onlyNtsServers;
    }

    private List<ServerAddress> serverList(String key, int defaultPort) {
        String list = values.get(key);
        List<ServerAddress> servers = new ArrayList<>();
        if (list != null) {
            for (String item : list.trim().split("\\s*,\\s*")) {
                if (!item.isEmpty()) {
                    servers.add(parse(key, () -> ServerAddress.parse(item, defaultPort)));
                }
            }
        }
        return servers;
    }

    /** The CA file for NTS, or null for the JDK's trust store. */
    public Path ntsTrust() {
        String value = values.get("ntsTrust");
        return value == null || value.isBlank() ? null : Path.of(value.trim());
    }

    /** Whether only NTS-authenticated servers may be selected. */
    public boolean requireNts() {
        return flag("requireNts");
    }

    /** Whether the servers are the user's own, which the daemon may poll faster than the public pools' 64 s. */
    public boolean ownServers() {
        return flag("ownServers");
    }

    /**
     * Whether every poll of the daemon takes a whole run of samples even where polls come as fast as a
     * run takes, instead of one request per poll filtered across polls (a comparison, as the lab makes).
     */
    public boolean runPerPoll() {
        return flag("runPerPoll");
    }

    private boolean flag(String key) {
        String value = values.get(key);
        if (value == null) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(source + ": " + key + " must be true or false, got '" + value + "'");
        };
    }

    /** The pool to use only, or null. */
    public String pool() {
        return values.get("pool");
    }

    /** The region for the default pools, or null. */
    public String region() {
        return values.get("region");
    }

    /** The state directory, or null for the platform's. */
    public Path stateDir() {
        String dir = values.get("stateDir");
        return dir == null ? null : Path.of(dir);
    }

    /** The strategy ({@code best} when unset). */
    public Strategy strategy() {
        String s = values.get("strategy");
        return s == null ? Strategy.BEST : parse("strategy", () -> Strategies.parse(s));
    }

    /** How to probe: the file's values over the defaults. */
    public ProbeOptions probeOptions() {
        ProbeOptions d = ProbeOptions.defaults();
        return parse("samples/spacing/timeout/concurrency", () -> new ProbeOptions(
                integer("samples", d.samples()), duration("spacing", d.spacing()), duration("timeout", d.timeout()),
                integer("concurrency", d.concurrency())));
    }

    /** How to select: the file's values over the defaults. */
    public SelectionPolicy policy() {
        SelectionPolicy d = SelectionPolicy.defaults();
        return parse("the selection settings", () -> new SelectionPolicy(
                number("weights.jitter", d.jitterWeight() * 100) / 100, number("weights.reachability", d.reachWeight() * 100) / 100,
                number("weights.stratum", d.stratumWeight() * 100) / 100, number("weights.latency", d.latencyWeight() * 100) / 100,
                number("minScore", d.minScore()), integer("minStratum", d.minStratum()), integer("maxStratum", d.maxStratum()),
                d.maxRootDistance(), number("hysteresisPercent", d.hysteresisPercent()),
                integer("stabilityThreshold", d.stabilityThreshold()), integer("maxSelected", d.maxSelected()),
                integer("failuresToBlacklist", d.failuresToBlacklist()), duration("blacklistCooldown", d.blacklistCooldown())));
    }

    /**
     * The notification settings ({@code notify.*}); none are sent when neither a webhook nor an SMTP
     * host is set. The SMTP password comes from the environment variable {@code notify.smtp.passwordEnv}
     * names, so that it is never written in the file.
     */
    public Notifier.Settings notifications(Map<String, String> env) {
        return parse("notify", () -> {
            String webhook = values.get("notify.webhook");
            URI uri = null;
            if (webhook != null) {
                // The URL's path and query often hold its secret token: no message repeats them.
                try {
                    uri = new URI(webhook.trim());
                } catch (URISyntaxException e) {
                    throw new IllegalArgumentException("webhook is not a URL (" + e.getReason() + " at character " + e.getIndex()
                            + ")", null);
                }
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new IllegalArgumentException("webhook must be an http(s) URL with a host, got "
                            + (uri.getScheme() == null ? "no scheme" : "scheme '" + Printable.of(uri.getScheme()) + "'")
                            + (uri.getHost() == null ? " and no host" : ""));
                }
            }
            Notifier.Mail mail = null;
            String host = values.get("notify.smtp.host");
            if (host != null) {
                ServerAddress.parse(host, 587);
                String from = values.get("notify.smtp.from");
                String to = values.get("notify.smtp.to");
                if (from == null || to == null) {
                    throw new IllegalArgumentException("notify.smtp needs 'from' and 'to' as well as 'host'");
                }
                String user = values.get("notify.smtp.username");
                String passwordEnv = values.get("notify.smtp.passwordEnv");
                String password = passwordEnv == null ? null : env.get(passwordEnv);
                if (user != null && password == null) {
                    throw new IllegalArgumentException("notify.smtp.username is set, so the password must be in the environment"
                            + " variable that notify.smtp.passwordEnv names" + (passwordEnv == null ? "" : " (" + passwordEnv
                            + " is not set)"));
                }
                String starttls = values.getOrDefault("notify.smtp.starttls", "required");
                Notifier.StartTls mode;
                try {
                    mode = Notifier.StartTls.valueOf(starttls.trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("starttls must be required, optional or off, got '" + starttls + "'");
                }
                mail = new Notifier.Mail(host, integer("notify.smtp.port", 587), mode, user, password, from,
                        List.of(to.split("\\s*,\\s*")), values.get("notify.smtp.trust"));
            }
            Set<Notifier.Event> events = EnumSet.allOf(Notifier.Event.class);
            String listed = values.get("notify.events");
            if (listed != null) {
                events = EnumSet.noneOf(Notifier.Event.class);
                for (String e : listed.split(",")) {
                    events.add(Notifier.Event.parse(e));
                }
            }
            return new Notifier.Settings(uri, mail, events, duration("notify.minInterval", Duration.ofMinutes(15)));
        });
    }

    private int integer(String key, int fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " = '" + v + "' is not a whole number");
        }
    }

    private double number(String key, double fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " = '" + v + "' is not a number");
        }
    }

    private Duration duration(String key, Duration fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Durations.parse(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
    }

    private <T> T parse(String what, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("in " + source + ", " + what + ": " + e.getMessage(), e);
        }
    }

}
