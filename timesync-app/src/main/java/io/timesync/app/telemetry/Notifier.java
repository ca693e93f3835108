package io.timesync.app.telemetry;

import io.timesync.agent.AgentState;
import io.timesync.agent.CycleReport;
import io.timesync.agent.Telemetry;
import io.timesync.select.Decision;
import io.timesync.app.format.JsonLines;
import io.timesync.text.Printable;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Tells people when something needs their attention: the selected server changed, a correction was
 * refused (beyond the panic bound), or something failed (a correction, the memo, every server). By
 * webhook (a JSON POST) and e-mail (SMTP with STARTTLS, through Jakarta Mail's Angus implementation).
 *
 * <p>Rate-limited: at most one notification of each kind per interval (15 minutes by default); the
 * next one says how many were held back. The interval is measured on the agent's clock, the times
 * its reports carry, never on a clock of the notifier's own. Sent from a thread of its own, so a slow or failing
 * channel never delays or stops the agent; failures are logged, naming the webhook by its scheme and
 * host only (its path and query are its secret) and with the receiver's text escaped.
 */
public final class Notifier implements Telemetry, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** What is notified. */
    public enum Event {
        SERVER_CHANGE, REFUSED, ERROR;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /**
         * The event named {@code text} ({@code server-change}, {@code refused}, {@code error}).
         *
         * @throws IllegalArgumentException when it names none
         */
        public static Event parse(String text) {
            for (Event e : values()) {
                if (e.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                    return e;
                }
            }
            throw new IllegalArgumentException("'" + text + "' is not an event (expected server-change, refused or error)");
        }
    }

    /** STARTTLS: required (default; refuse to send in clear), optional (when offered), or off. */
    public enum StartTls { REQUIRED, OPTIONAL, OFF }

    /**
     * The SMTP settings.
     *
     * @param host     the server
     * @param port     its submission port (587 by default)
     * @param startTls whether to upgrade to TLS
     * @param username for AUTH, or null
     * @param password for AUTH (read from an environment variable, never from the file), or null
     * @param from     the sender
     * @param to       the recipients
     * @param trust    host names whose certificates are trusted without a CA (private servers), or null
     */
    public record Mail(String host, int port, StartTls startTls, String username, String password, String from, List<String> to,
                String trust) {
        public Mail {
            to = List.copyOf(to);
        }
    }

    /**
     * What to notify, where, and how often.
     *
     * @param webhook     where to POST, or null
     * @param mail        where to mail, or null
     * @param events      which events
     * @param minInterval at most one notification of a kind per this
     */
    public record Settings(URI webhook, Mail mail, Set<Event> events, Duration minInterval) {
        public Settings {
            events = events.isEmpty() ? Set.of() : Set.copyOf(events);
        }

        /** Whether there is anywhere to send to. */
        public boolean any() {
            return webhook != null || mail != null;
        }
    }

    /**
     * One notification.
     *
     * @param event      what
     * @param at         when
     * @param host       this machine
     * @param summary    one line
     * @param detail     more
     * @param suppressed how many of this kind were held back since the last one sent
     */
    record Notification(Event event, Instant at, String host, String summary, String detail, int suppressed) {
    }

    private final Settings settings;
    private final String host;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "timesync-notify");
        t.setDaemon(true);
        return t;
    });
    private final Map<Event, Instant> lastSent = new EnumMap<>(Event.class);
    private final Map<Event, Integer> held = new EnumMap<>(Event.class);

    /** A notifier that sends as {@code settings} say; {@link #close()} waits for what it is still sending. */
    public Notifier(Settings settings) {
        this.settings = settings;
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            name = "this machine";
        }
        this.host = name;
    }

    @Override
    public void cycle(CycleReport r) {
        Instant at = Instant.ofEpochSecond(0, r.atUnixNanos());
        Decision d = r.decision();
        if (d != null && d.outcome() == Decision.Outcome.SWITCHED) {
            offer(Event.SERVER_CHANGE, at, "switched to " + String.join(", ", d.selection().servers()), d.summary());
        }
        // A refusal or failure that later checks meet again is one event, notified (or held back) once.
        if (!r.repeated()) {
            switch (r.outcome()) {
                case REFUSED -> offer(Event.REFUSED, at, "correction refused", r.detail());
                case CORRECTION_FAILED -> offer(Event.ERROR, at, "correction failed", r.detail());
                case PLAN_FAILED -> offer(Event.ERROR, at, "cannot plan a correction", r.detail());
                default -> {
                }
            }
        }
        if (r.recordFailure() != null) {
            offer(Event.ERROR, at, "cannot record the run", r.recordFailure());
        }
    }

    @Override
    public void stateChanged(AgentState from, AgentState to, String reason, long atUnixNanos) {
        if (to == AgentState.OUTAGE) {
            offer(Event.ERROR, Instant.ofEpochSecond(0, atUnixNanos), "no time server usable", reason);
        }
    }

    /** Sends, unless this kind is not wanted or was sent within the interval; never throws. */
    synchronized void offer(Event event, Instant at, String summary, String detail) {
        if (!settings.events().contains(event)) {
            return;
        }
        Instant last = lastSent.get(event);
        if (last != null && at.isBefore(last.plus(settings.minInterval()))) {
            held.merge(event, 1, Integer::sum);
            return;
        }
        lastSent.put(event, at);
        Notification n = new Notification(event, at, host, summary, detail == null ? "" : detail,
                held.getOrDefault(event, 0));
        held.remove(event);
        sender.execute(() -> deliver(n));
    }

    private void deliver(Notification n) {
        if (settings.webhook() != null) {
            try {
                webhook(n);
            } catch (IOException | RuntimeException e) {
                // Scheme and host only: the path and query are the webhook's secret.
                log.warn("the webhook {} failed: {}", Printable.origin(settings.webhook()), withoutSecret(Printable.of(e)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (settings.mail() != null) {
            try {
                mail(n);
            } catch (MessagingException | RuntimeException e) {
                log.warn("mail through {}:{} failed: {}", Printable.of(settings.mail().host()), settings.mail().port(),
                        Printable.of(e.toString().strip()));
            }
        }
    }

    /** {@code text} with the webhook's URL, and its path and query on their own, cut down to its scheme and host. */
    private String withoutSecret(String text) {
        URI url = settings.webhook();
        String result = text.replace(url.toString(), Printable.origin(url));
        for (String secret : new String[] {url.getRawPath(), url.getRawQuery(), url.getRawUserInfo()}) {
            if (secret != null && secret.length() > 1) {
                result = result.replace(secret, "...");
            }
        }
        return result;
    }

    private void webhook(Notification n) throws IOException, InterruptedException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("event", n.event().label());
        doc.put("time", n.at().toString());
        doc.put("host", n.host());
        doc.put("summary", n.summary());
        doc.put("detail", n.detail());
        doc.put("suppressed", n.suppressed());
        HttpRequest request = HttpRequest.newBuilder(settings.webhook()).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JsonLines.line(doc), StandardCharsets.UTF_8)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            // The body is the receiver's text: one escaped line, short, since it may echo what was sent.
            String body = response.body().strip();
            throw new IOException("HTTP " + response.statusCode() + (body.isEmpty() ? "" : " "
                    + Printable.of(body.length() > 200 ? body.substring(0, 200) + "..." : body)));
        }
    }

    private void mail(Notification n) throws MessagingException {
        Mail m = settings.mail();
        Properties p = new Properties();
        p.put("mail.smtp.host", m.host());
        p.put("mail.smtp.port", Integer.toString(m.port()));
        p.put("mail.smtp.starttls.enable", Boolean.toString(m.startTls() != StartTls.OFF));
        p.put("mail.smtp.starttls.required", Boolean.toString(m.startTls() == StartTls.REQUIRED));
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        if (m.trust() != null) {
            p.put("mail.smtp.ssl.trust", m.trust());
        }
        p.put("mail.smtp.auth", Boolean.toString(m.username() != null));
        String millis = Long.toString(TIMEOUT.toMillis());
        p.put("mail.smtp.connectiontimeout", millis);
        p.put("mail.smtp.timeout", millis);
        p.put("mail.smtp.writetimeout", millis);
        MimeMessage message = new MimeMessage(Session.getInstance(p));
        message.setFrom(new InternetAddress(m.from(), true));
        List<InternetAddress> to = new ArrayList<>();
        for (String address : m.to()) {
            to.add(new InternetAddress(address, true));
        }
        message.setRecipients(Message.RecipientType.TO, to.toArray(InternetAddress[]::new));
        message.setSubject(Printable.of("[TimeSync] " + n.host() + ": " + n.summary()), "UTF-8");
        message.setText(n.summary() + "\n\n" + n.detail() + "\n\nEvent: " + n.event().label() + "\nTime: " + n.at()
                + "\nHost: " + n.host() + (n.suppressed() > 0 ? "\nHeld back since the last one: " + n.suppressed() : "")
                + "\n", "UTF-8");
        if (m.username() != null) {
            Transport.send(message, m.username(), m.password());
        } else {
            Transport.send(message);
        }
    }

    /** Waits up to 10 s for notifications still being sent. */
    @Override
    public void close() throws InterruptedException {
        sender.shutdown();
        if (!sender.awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            sender.shutdownNow();
        }
    }
}
