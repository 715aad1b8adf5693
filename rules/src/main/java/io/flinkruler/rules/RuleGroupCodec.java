package io.flinkruler.rules;

import static io.flinkruler.rules.StringCodec.readNullable;
import static io.flinkruler.rules.StringCodec.readString;
import static io.flinkruler.rules.StringCodec.writeNullable;
import static io.flinkruler.rules.StringCodec.writeString;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Binary form of {@link RuleGroup} (rules, positions and remote-write targets included) for Flink
 * serializers and state, so that rule groups never fall back to Kryo or Java serialization. Strings are
 * length-prefixed UTF-8 (expressions may exceed {@code writeUTF}'s 64 KiB). The leading version byte
 * lets a later layout read state written by this one.
 */
public final class RuleGroupCodec {
    /** Version 2: remote-write targets in {@link RemoteWriteConfigCodec}'s form; version 1 is still read. */
    private static final int VERSION = 2;

    private RuleGroupCodec() {}

    public static void write(RuleGroup group, DataOutput out) throws IOException {
        out.writeByte(VERSION);
        writeString(out, group.tenant());
        writeString(out, group.namespace());
        writeString(out, group.name());
        out.writeLong(group.intervalMs());
        out.writeLong(group.queryOffsetMs());
        out.writeInt(group.limit());
        writeString(out, group.sourceFile());
        writeMap(out, group.labels());
        out.writeInt(group.rules().size());
        for (Rule r : group.rules()) {
            writeNullable(out, r.record());
            writeNullable(out, r.alert());
            writeString(out, r.expr());
            writeMap(out, r.labels());
            out.writeInt(r.line());
            out.writeInt(r.exprLine());
            out.writeInt(r.exprColumn());
        }
        out.writeInt(group.remoteWrite().size());
        for (RemoteWriteConfig rw : group.remoteWrite()) RemoteWriteConfigCodec.write(rw, out);
    }

    public static RuleGroup read(DataInput in) throws IOException {
        int version = in.readUnsignedByte();
        if (version != VERSION && version != 1) throw new IOException("unknown RuleGroup encoding version " + version);
        String tenant = readString(in);
        String namespace = readString(in);
        String name = readString(in);
        long intervalMs = in.readLong();
        long queryOffsetMs = in.readLong();
        int limit = in.readInt();
        String sourceFile = readString(in);
        Map<String, String> labels = readMap(in);
        int ruleCount = in.readInt();
        List<Rule> rules = new ArrayList<>(ruleCount);
        for (int i = 0; i < ruleCount; i++) {
            String record = readNullable(in);
            String alert = readNullable(in);
            String expr = readString(in);
            Map<String, String> ruleLabels = readMap(in);
            rules.add(new Rule(record, alert, expr, ruleLabels, in.readInt(), in.readInt(), in.readInt()));
        }
        int rwCount = in.readInt();
        List<RemoteWriteConfig> remoteWrite = new ArrayList<>(rwCount);
        for (int i = 0; i < rwCount; i++) {
            remoteWrite.add(version == 1 ? RemoteWriteConfigCodec.readVersion1(in, false) : RemoteWriteConfigCodec.read(in));
        }
        return new RuleGroup(tenant, namespace, name, intervalMs, queryOffsetMs, limit, rules, remoteWrite, sourceFile, labels);
    }

    private static void writeMap(DataOutput out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
    }

    private static Map<String, String> readMap(DataInput in) throws IOException {
        int n = in.readInt();
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < n; i++) map.put(readString(in), readString(in));
        return map;
    }
}
