package io.timesync.nts;

import java.util.List;

/**
 * What an NTS-KE server granted: cookies, and where to send NTP (RFC 8915 §4.1.7, §4.1.8).
 *
 * @param cookies the New Cookie records' bodies, in order, at most {@link NtsKeRecords#MAX_COOKIES}
 * @param server  the negotiated NTP server (name or address literal), or null for the NTS-KE server's address
 * @param port    the negotiated NTP port, or 0 for 123
 */
public record NtsKeResponse(List<byte[]> cookies, String server, int port) {

    /** Copies the list (the arrays are not copied: nobody else holds them). */
    public NtsKeResponse {
        cookies = List.copyOf(cookies);
    }
}
