package io.timesync.nts;

import java.net.InetAddress;

/**
 * A completed key establishment: the two exported keys, what the server granted, and the address
 * the TLS connection reached (the NTP server when none was negotiated, RFC 8915 §4.1.7).
 *
 * @param c2sKey    client-to-server AEAD key (32 bytes)
 * @param s2cKey    server-to-client AEAD key (32 bytes)
 * @param response  cookies and the negotiated NTP server and port
 * @param keAddress the address of the NTS-KE server
 */
public record NtsKeResult(byte[] c2sKey, byte[] s2cKey, NtsKeResponse response, InetAddress keAddress) {
}
