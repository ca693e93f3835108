/**
 * TimeSync's library. Exported: {@code io.timesync.api}, the embedding API ({@link
 * io.timesync.api.TimeSync}, {@link io.timesync.api.NtpClock}), {@code io.timesync.time}, the values
 * its results carry (measurements, samples, server addresses, the time source), and {@code
 * io.timesync.ntp}, the pure NTPv4 codec those values are built from. Everything else
 * (selection, correction, the agent, the memo) is TimeSync's own machinery, used by its OS modules
 * and CLI from the class path, and may change without notice.
 *
 * <p>NTS comes from the {@code io.timesync.nts} module (artifact {@code io.timesync:timesync-nts}), which
 * provides {@link io.timesync.probe.SecureProbes} and alone sees the probing machinery it builds on.
 */
module io.timesync.core {
    requires org.slf4j;

    exports io.timesync.api;
    exports io.timesync.time;
    exports io.timesync.ntp;

    exports io.timesync.probe to io.timesync.nts;
    exports io.timesync.files to io.timesync.nts;
    exports io.timesync.text to io.timesync.nts;

    uses io.timesync.probe.SecureProbes;
}
