package io.flinkruler.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Binary form of {@link Labels} for state and records: count, then name/value pairs as modified UTF-8.
 * Flink serializers and state snapshots delegate here so that there is one wire form.
 */
public final class LabelsCodec {
    private LabelsCodec() {}

    public static void write(Labels labels, DataOutput out) throws IOException {
        out.writeShort(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            out.writeUTF(labels.name(i));
            out.writeUTF(labels.value(i));
        }
    }

    public static Labels read(DataInput in) throws IOException {
        int n = in.readUnsignedShort();
        String[] names = new String[n];
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = in.readUTF();
            values[i] = in.readUTF();
        }
        return Labels.ofSorted(names, values);
    }
}
