package io.timesync.ntp;

/**
 * Kiss-o'-Death codes (RFC 5905 §7.4, RFC 8915 §5.5): the ASCII reference id of a stratum-0 reply.
 * A kiss is only believed after the reply passed the origin check, or an attacker could silence a
 * server with one forged packet.
 */
public enum KissCode {
    /** Rate exceeded: the client must poll less often. */
    RATE("rate exceeded, poll less often"),
    /** Access denied by the server's policy: stop using the server. */
    DENY("access denied"),
    /** Access denied for this client's address: stop using the server. */
    RSTR("access restricted"),
    /** NTS negative acknowledgement: the cookie was not accepted; run key establishment again. */
    NTSN("NTS cookie rejected"),
    /** The association belongs to a unicast server. */
    ACST("association belongs to a unicast server"),
    /** Server authentication failed. */
    AUTH("server authentication failed"),
    /** Autokey sequence failed. */
    AUTO("autokey sequence failed"),
    /** The association belongs to a broadcast server. */
    BCST("association belongs to a broadcast server"),
    /** Cryptographic authentication or identification failed. */
    CRYP("cryptographic authentication failed"),
    /** Lost peer in symmetric mode. */
    DROP("lost peer in symmetric mode"),
    /** The association has not yet synchronised. */
    INIT("association not yet synchronised"),
    /** The association belongs to a dynamically discovered server. */
    MCST("association belongs to a manycast server"),
    /** No key found. */
    NKEY("no key found"),
    /** The association belongs to a remote server. */
    RMOT("association belongs to a remote server"),
    /** A step change in system time has occurred, not yet resynchronised. */
    STEP("server clock stepped, not yet resynchronised"),
    /** A code this client does not know; RFC 5905 says to treat the reply as unusable. */
    UNKNOWN("unknown kiss code");

    private final String meaning;

    KissCode(String meaning) {
        this.meaning = meaning;
    }

    /** A short human-readable explanation. */
    public String meaning() {
        return meaning;
    }

    /** Whether the server told us never to ask it again (DENY, RSTR). */
    public boolean stopsUsingServer() {
        return this == DENY || this == RSTR;
    }

    /** Whether the server asked us to slow down (RATE). */
    public boolean requestsBackoff() {
        return this == RATE;
    }

    /** Decodes a reference id (big-endian ASCII) without allocating. */
    public static KissCode of(int referenceId) {
        switch (referenceId) {
            case 0x52415445: return RATE;
            case 0x44454E59: return DENY;
            case 0x52535452: return RSTR;
            case 0x4E54534E: return NTSN;
            case 0x41435354: return ACST;
            case 0x41555448: return AUTH;
            case 0x4155544F: return AUTO;
            case 0x42435354: return BCST;
            case 0x43525950: return CRYP;
            case 0x44524F50: return DROP;
            case 0x494E4954: return INIT;
            case 0x4D435354: return MCST;
            case 0x4E4B4559: return NKEY;
            case 0x524D4F54: return RMOT;
            case 0x53544550: return STEP;
            default: return UNKNOWN;
        }
    }
}
