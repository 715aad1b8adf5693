package io.flinkruler.kafka;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The two remote-write protobuf messages a record may hold, told apart by the {@code Content-Type} header a bridge
 * copied from the HTTP request, or else by the request's top-level field numbers: 2.0's {@code Request} reserves
 * 1.0's fields 1 to 3 and uses 4 (symbols) and 5 (timeseries), so no valid request has fields of both.
 */
public enum RemoteWriteVersion {
    /** {@code prometheus.WriteRequest}: timeseries = 1, metadata = 3 (2 is reserved). */
    V1("prometheus.WriteRequest", 1, 3),
    /** {@code io.prometheus.write.v2.Request}: symbols = 4, timeseries = 5. */
    V2("io.prometheus.write.v2.Request", 4, 5);

    private static final String PROTOBUF_MEDIA_TYPE = "application/x-protobuf";

    private final String protoName;
    private final int firstField;
    private final int lastField;

    RemoteWriteVersion(String protoName, int firstField, int lastField) {
        this.protoName = protoName;
        this.firstField = firstField;
        this.lastField = lastField;
    }

    /** The message's fully qualified name, as the {@code proto} parameter of the Content-Type names it. */
    public String protoName() { return protoName; }

    /** The Content-Type header value that names this version. */
    public String contentType() { return PROTOBUF_MEDIA_TYPE + ";proto=" + protoName; }

    /**
     * The version a Content-Type header names. {@code application/x-protobuf} without {@code proto} is 1.0, as the
     * 2.0 specification says; parameter names and the media type are matched ignoring case, values exactly.
     */
    public static RemoteWriteVersion ofContentType(String contentType) throws UndecodableRecordException {
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase(PROTOBUF_MEDIA_TYPE)) throw unsupported(contentType);
        String proto = null;
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq < 0 || !parts[i].substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("proto")) continue;
            proto = unquote(parts[i].substring(eq + 1).trim());
        }
        if (proto == null) return V1;
        for (RemoteWriteVersion v : values()) if (v.protoName.equals(proto)) return v;
        throw unsupported(contentType);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static UndecodableRecordException unsupported(String contentType) {
        String shown = contentType.length() > 100 ? contentType.substring(0, 100) + "..." : contentType;
        return new UndecodableRecordException(UndecodableReason.UNSUPPORTED_CONTENT_TYPE,
                "Content-Type \"" + shown + "\" is no remote-write protobuf (" + V1.contentType() + " or " + V2.contentType() + ")");
    }

    /**
     * The versions whose top-level fields the protobuf has: none for an empty request (or one of unknown fields
     * only), both for a record no sender writes. Only the top level is read; nested messages are skipped whole.
     */
    public static Set<RemoteWriteVersion> fieldsIn(byte[] protobuf) throws UndecodableRecordException {
        Set<RemoteWriteVersion> seen = EnumSet.noneOf(RemoteWriteVersion.class);
        CodedInputStream in = CodedInputStream.newInstance(protobuf);
        try {
            int tag;
            while ((tag = in.readTag()) != 0) {
                int field = WireFormat.getTagFieldNumber(tag);
                for (RemoteWriteVersion v : values()) if (field >= v.firstField && field <= v.lastField) seen.add(v);
                if (!in.skipField(tag)) break;
            }
        } catch (IOException e) {
            throw new UndecodableRecordException(UndecodableReason.NOT_PROTOBUF, "not a remote-write protobuf request: " + e.getMessage(), e);
        }
        return seen;
    }

    /**
     * The version to decode {@code protobuf} as: the one its Content-Type header names (null: no header), else the
     * one its fields belong to; 1.0 for a request without fields of either. A request with fields of both, or of
     * the version the header does not name, is a conflict: decoding it as either would silently lose its series.
     */
    public static RemoteWriteVersion choose(String contentType, byte[] protobuf) throws UndecodableRecordException {
        Set<RemoteWriteVersion> seen = fieldsIn(protobuf);
        if (seen.size() > 1) {
            throw new UndecodableRecordException(UndecodableReason.VERSION_CONFLICT, "the request has fields of both remote-write 1.0 and 2.0");
        }
        if (contentType != null) {
            RemoteWriteVersion declared = ofContentType(contentType);
            if (!seen.isEmpty() && !seen.contains(declared)) {
                throw new UndecodableRecordException(UndecodableReason.VERSION_CONFLICT, "Content-Type names " + declared.protoName
                        + " but the request has the fields of " + seen.iterator().next().protoName);
            }
            return declared;
        }
        return seen.isEmpty() ? V1 : seen.iterator().next();
    }
}
