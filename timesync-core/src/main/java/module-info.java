/**
 * TimeSync's library. Exported: {@code io.timesync.api}, the embedding API ({@link
 * io.timesync.api.TimeSync}, {@link io.timesync.api.NtpClock} and their results, NTS included), and {@code
 * io.timesync.ntp}, the pure NTPv4 codec whose value types the API's results carry. Everything else
 * (selection, correction, the agent, the memo) is TimeSync's own machinery, used by its OS modules
 * and CLI from the class path, and may change without notice.
 */
module io.timesync.core {
    requires org.slf4j;
    requires com.fasterxml.jackson.databind;
    // NTS: key establishment needs Bouncy Castle's TLS API (the keying-material exporter), the
    // authenticator AES-SIV-CMAC-256 comes from siv-mode.
    requires org.bouncycastle.tls;
    requires org.cryptomator.siv;

    exports io.timesync.api;
    exports io.timesync.ntp;

    // The memo and the selection in it are records that Jackson reads and writes.
    opens io.timesync.memo to com.fasterxml.jackson.databind;
    opens io.timesync.select to com.fasterxml.jackson.databind;
    // So are the NTS sessions kept in the state directory.
    opens io.timesync.nts to com.fasterxml.jackson.databind;
}
