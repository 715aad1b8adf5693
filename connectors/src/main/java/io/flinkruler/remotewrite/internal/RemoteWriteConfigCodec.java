package io.flinkruler.remotewrite.internal;

import io.flinkruler.rules.RemoteWriteConfig;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Binary form of a {@link RemoteWriteConfig} for records and checkpointed committables. It includes the
 * basic-auth password, because the committer must be able to re-send after a restore; see the report on
 * secrets in checkpoints. A field added to RemoteWriteConfig must be added here too.
 */
public final class RemoteWriteConfigCodec {
    private RemoteWriteConfigCodec() {}

    public static void write(RemoteWriteConfig config, DataOutput out) throws IOException {
        out.writeUTF(config.url());
        out.writeUTF(config.name());
        out.writeInt(config.headers().size());
        for (Map.Entry<String, String> header : config.headers().entrySet()) {
            out.writeUTF(header.getKey());
            out.writeUTF(header.getValue());
        }
        writeNullable(config.basicAuthUsername(), out);
        writeNullable(config.basicAuthPassword(), out);
        out.writeLong(config.remoteTimeout().toMillis());
    }

    public static RemoteWriteConfig read(DataInput in) throws IOException {
        String url = in.readUTF();
        String name = in.readUTF();
        int headerCount = in.readInt();
        TreeMap<String, String> headers = new TreeMap<>();
        for (int i = 0; i < headerCount; i++) headers.put(in.readUTF(), in.readUTF());
        String username = readNullable(in);
        String password = readNullable(in);
        Duration timeout = Duration.ofMillis(in.readLong());
        return new RemoteWriteConfig(url, name, headers, username, password, timeout);
    }

    private static void writeNullable(String s, DataOutput out) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) out.writeUTF(s);
    }

    private static String readNullable(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
