/**
 * Network Time Security (RFC 8915) for TimeSync: key establishment over TLS 1.3 and authenticated
 * NTP. {@code TimeSync.builder().ntsServers(...)} finds it through the {@link
 * io.timesync.probe.SecureProbes} service.
 */
module io.timesync.nts {
    requires io.timesync.core;
    requires org.slf4j;
    // Key establishment needs Bouncy Castle's TLS API (the keying-material exporter); the
    // authenticator AES-SIV-CMAC-256 comes from siv-mode.
    requires org.bouncycastle.tls;
    requires org.cryptomator.siv;

    // The NTS client, sessions and trust, for applications that manage NTS themselves (the CLI does).
    exports io.timesync.nts;

    provides io.timesync.probe.SecureProbes with io.timesync.nts.NtsSecureProbes;
}
