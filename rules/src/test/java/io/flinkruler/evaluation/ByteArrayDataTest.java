package io.flinkruler.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The byte-array DataOutput/DataInput against java.io's streams: the same bytes, the same values. */
class ByteArrayDataTest {
    private static final String[] STRINGS = {"", "__name__", "job-1", "a\u0000b", "é", "\u07ff\u0800", "日本語",
            "\uD83D\uDE00 emoji", "x".repeat(100), "ÿ", "\u0080"};

    private interface Writes {
        void to(DataOutput out) throws IOException;
    }

    private static void everything(DataOutput out) throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            out.writeBoolean(random.nextBoolean());
            out.writeByte(random.nextInt());
            out.writeShort(random.nextInt());
            out.writeChar(random.nextInt());
            out.writeInt(random.nextInt());
            out.writeLong(random.nextLong());
            out.writeFloat((float) random.nextDouble());
            out.writeDouble(random.nextDouble());
            out.writeUTF(STRINGS[i % STRINGS.length]);
        }
        out.writeDouble(Double.NaN);
        out.write(new byte[] {1, 2, 3, 4}, 1, 2);
        out.writeBytes("abc");
        out.writeChars("déf");
    }

    private static byte[] withJavaIo(Writes w) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        w.to(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] withByteArray(Writes w) throws IOException {
        ByteArrayDataOutput out = new ByteArrayDataOutput(1);
        w.to(out);
        return out.toByteArray();
    }

    @Test
    void writesTheBytesDataOutputStreamWrites() throws IOException {
        byte[] expected = withJavaIo(ByteArrayDataTest::everything);
        assertArrayEquals(expected, withByteArray(ByteArrayDataTest::everything));
    }

    @Test
    void readsWhatDataInputStreamReads() throws IOException {
        byte[] bytes = withJavaIo(ByteArrayDataTest::everything);
        DataInputStream expected = new DataInputStream(new ByteArrayInputStream(bytes));
        ByteArrayDataInput actual = new ByteArrayDataInput(bytes);
        for (int i = 0; i < 200; i++) {
            assertEquals(expected.readBoolean(), actual.readBoolean());
            assertEquals(expected.readByte(), actual.readByte());
            assertEquals(expected.readShort(), actual.readShort());
            assertEquals(expected.readChar(), actual.readChar());
            assertEquals(expected.readInt(), actual.readInt());
            assertEquals(expected.readLong(), actual.readLong());
            assertEquals(expected.readFloat(), actual.readFloat());
            assertEquals(Double.doubleToRawLongBits(expected.readDouble()), Double.doubleToRawLongBits(actual.readDouble()));
            assertEquals(expected.readUTF(), actual.readUTF());
        }
        assertTrue(Double.isNaN(actual.readDouble()));
        assertEquals(2, actual.readUnsignedByte());
        assertEquals(3, actual.readUnsignedByte());
        byte[] abc = new byte[3];
        actual.readFully(abc);
        assertEquals("abc", new String(abc, java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals('d', actual.readChar());
        assertEquals('é', actual.readChar());
        assertEquals('f', actual.readChar());
        assertEquals(0, actual.available());
        assertThrows(EOFException.class, actual::readInt);
    }

    @Test
    void repeatedAsciiStringsAreReadOnce() throws IOException {
        byte[] bytes = withJavaIo(out -> {
            out.writeUTF("instance");
            out.writeUTF("host-1");
            out.writeUTF("instance");
        });
        ByteArrayDataInput in = new ByteArrayDataInput(bytes);
        String first = in.readUTF();
        assertEquals("host-1", in.readUTF());
        assertSame(first, in.readUTF());
    }

    @Test
    void stringsTooLongForTheTwoByteLengthAreRefusedAsByDataOutputStream() {
        String tooLong = "é".repeat(40_000);
        assertThrows(UTFDataFormatException.class, () -> withJavaIo(out -> out.writeUTF(tooLong)));
        assertThrows(UTFDataFormatException.class, () -> withByteArray(out -> out.writeUTF(tooLong)));
    }

    @Test
    void malformedModifiedUtf8IsRefused() throws IOException {
        byte[] truncated = {0, 2, (byte) 0xE6, (byte) 0x97};
        assertThrows(UTFDataFormatException.class, () -> new ByteArrayDataInput(truncated).readUTF());
        byte[] badContinuation = {0, 2, (byte) 0xC3, 0x41};
        assertThrows(UTFDataFormatException.class, () -> new ByteArrayDataInput(badContinuation).readUTF());
        byte[] shortPayload = {0, 5, 'a'};
        assertThrows(EOFException.class, () -> new ByteArrayDataInput(shortPayload).readUTF());
        assertFalse(new ByteArrayDataInput(new byte[] {0}).readBoolean());
    }
}
