package io.flinkruler.rules;

import static io.flinkruler.rules.StringCodec.readNullable;
import static io.flinkruler.rules.StringCodec.readString;
import static io.flinkruler.rules.StringCodec.writeNullable;
import static io.flinkruler.rules.StringCodec.writeString;

import io.flinkruler.rules.RemoteWriteConfig.Authorization;
import io.flinkruler.rules.RemoteWriteConfig.BasicAuth;
import io.flinkruler.rules.RemoteWriteConfig.ProtobufMessage;
import io.flinkruler.rules.RemoteWriteConfig.QueueConfig;
import io.flinkruler.rules.RemoteWriteConfig.RelabelAction;
import io.flinkruler.rules.RemoteWriteConfig.RelabelConfig;
import io.flinkruler.rules.RemoteWriteConfig.TlsConfig;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one binary form of {@link RemoteWriteConfig}, used by rule-group state, records and checkpointed
 * committables. It starts with a format version byte, so that state written by an older layout stays
 * readable: every field added to RemoteWriteConfig is added here under a new version.
 *
 * <p>Inline secrets (a password written in the config) are part of the form, because a committer must be able
 * to re-send after a restore with nothing but the checkpoint. Secrets given as files are stored as paths only
 * and read at send time.
 */
public final class RemoteWriteConfigCodec {
    /** Version 2: every field of the Prometheus remote_write block. (Version 1 had no version byte.) */
    private static final int VERSION = 2;

    private RemoteWriteConfigCodec() {}

    public static void write(RemoteWriteConfig c, DataOutput out) throws IOException {
        out.writeByte(VERSION);
        writeString(out, c.url());
        writeString(out, c.name());
        out.writeLong(c.remoteTimeout().toMillis());
        out.writeInt(c.headers().size());
        for (Map.Entry<String, String> header : c.headers().entrySet()) {
            writeString(out, header.getKey());
            writeString(out, header.getValue());
        }
        BasicAuth basic = c.basicAuth();
        out.writeBoolean(basic != null);
        if (basic != null) {
            writeNullable(out, basic.username());
            writeNullable(out, basic.usernameFile());
            writeNullable(out, basic.password());
            writeNullable(out, basic.passwordFile());
        }
        Authorization auth = c.authorization();
        out.writeBoolean(auth != null);
        if (auth != null) {
            writeString(out, auth.type());
            writeNullable(out, auth.credentials());
            writeNullable(out, auth.credentialsFile());
        }
        TlsConfig tls = c.tls();
        writeNullable(out, tls.caFile());
        writeNullable(out, tls.ca());
        writeNullable(out, tls.certFile());
        writeNullable(out, tls.cert());
        writeNullable(out, tls.keyFile());
        writeNullable(out, tls.key());
        writeNullable(out, tls.serverName());
        out.writeBoolean(tls.insecureSkipVerify());
        writeNullable(out, tls.minVersion());
        writeNullable(out, tls.maxVersion());
        writeNullable(out, c.proxyUrl());
        out.writeBoolean(c.followRedirects());
        out.writeInt(c.writeRelabelConfigs().size());
        for (RelabelConfig r : c.writeRelabelConfigs()) {
            out.writeInt(r.sourceLabels().size());
            for (String label : r.sourceLabels()) writeString(out, label);
            writeString(out, r.separator());
            writeString(out, r.regex());
            out.writeLong(r.modulus());
            writeString(out, r.targetLabel());
            writeString(out, r.replacement());
            out.writeByte(r.action().ordinal());
        }
        QueueConfig q = c.queue();
        writeNullableInt(out, q.capacity());
        writeNullableInt(out, q.maxSamplesPerSend());
        writeNullableDuration(out, q.batchSendDeadline());
        writeNullableDuration(out, q.minBackoff());
        writeNullableDuration(out, q.maxBackoff());
        out.writeBoolean(q.retryOnHttp429());
        out.writeLong(q.sampleAgeLimit().toMillis());
        out.writeByte(c.protobufMessage().ordinal());
        out.writeBoolean(c.sendExemplars());
    }

    public static RemoteWriteConfig read(DataInput in) throws IOException {
        int version = in.readUnsignedByte();
        if (version != VERSION) throw new IOException("unknown RemoteWriteConfig encoding version " + version);
        RemoteWriteConfig.Builder b = RemoteWriteConfig.builder(readString(in));
        b.name(readString(in));
        b.remoteTimeout(Duration.ofMillis(in.readLong()));
        int headerCount = in.readInt();
        TreeMap<String, String> headers = new TreeMap<>();
        for (int i = 0; i < headerCount; i++) headers.put(readString(in), readString(in));
        b.headers(headers);
        if (in.readBoolean()) b.basicAuth(new BasicAuth(readNullable(in), readNullable(in), readNullable(in), readNullable(in)));
        if (in.readBoolean()) b.authorization(new Authorization(readString(in), readNullable(in), readNullable(in)));
        b.tls(new TlsConfig(readNullable(in), readNullable(in), readNullable(in), readNullable(in), readNullable(in),
                readNullable(in), readNullable(in), in.readBoolean(), readNullable(in), readNullable(in)));
        b.proxyUrl(readNullable(in));
        b.followRedirects(in.readBoolean());
        int relabelCount = in.readInt();
        List<RelabelConfig> relabels = new ArrayList<>(relabelCount);
        for (int i = 0; i < relabelCount; i++) {
            int sourceCount = in.readInt();
            List<String> sources = new ArrayList<>(sourceCount);
            for (int s = 0; s < sourceCount; s++) sources.add(readString(in));
            relabels.add(new RelabelConfig(sources, readString(in), readString(in), in.readLong(), readString(in), readString(in),
                    enumValue(RelabelAction.values(), in.readUnsignedByte(), "relabel action")));
        }
        b.writeRelabelConfigs(relabels);
        b.queue(new QueueConfig(readNullableInt(in), readNullableInt(in), readNullableDuration(in), readNullableDuration(in),
                readNullableDuration(in), in.readBoolean(), Duration.ofMillis(in.readLong())));
        b.protobufMessage(enumValue(ProtobufMessage.values(), in.readUnsignedByte(), "protobuf message"));
        b.sendExemplars(in.readBoolean());
        return b.build();
    }

    /**
     * The layout written before the version byte existed (url, name, headers, basic-auth user and password,
     * timeout; strings in {@code writeUTF}), for committables and rule groups checkpointed by earlier releases.
     */
    public static RemoteWriteConfig readVersion1(DataInput in, boolean modifiedUtf8) throws IOException {
        String url = modifiedUtf8 ? in.readUTF() : readString(in);
        String name = modifiedUtf8 ? in.readUTF() : readString(in);
        int headerCount = in.readInt();
        TreeMap<String, String> headers = new TreeMap<>();
        for (int i = 0; i < headerCount; i++) {
            headers.put(modifiedUtf8 ? in.readUTF() : readString(in), modifiedUtf8 ? in.readUTF() : readString(in));
        }
        String user = in.readBoolean() ? (modifiedUtf8 ? in.readUTF() : readString(in)) : null;
        String password = in.readBoolean() ? (modifiedUtf8 ? in.readUTF() : readString(in)) : null;
        return new RemoteWriteConfig(url, name, headers, user, password, Duration.ofMillis(in.readLong()));
    }

    private static <E> E enumValue(E[] values, int ordinal, String what) throws IOException {
        if (ordinal >= values.length) throw new IOException("unknown " + what + " " + ordinal);
        return values[ordinal];
    }

    private static void writeNullableInt(DataOutput out, Integer v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) out.writeInt(v);
    }

    private static Integer readNullableInt(DataInput in) throws IOException {
        return in.readBoolean() ? in.readInt() : null;
    }

    private static void writeNullableDuration(DataOutput out, Duration d) throws IOException {
        out.writeLong(d == null ? -1 : d.toMillis());
    }

    private static Duration readNullableDuration(DataInput in) throws IOException {
        long ms = in.readLong();
        return ms < 0 ? null : Duration.ofMillis(ms);
    }
}
