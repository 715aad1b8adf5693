package io.flinkruler.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class RuleGroupCodecTest {
    private static byte[] encode(RuleGroup g) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RuleGroupCodec.write(g, new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static RuleGroup decode(byte[] bytes) throws IOException {
        return RuleGroupCodec.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    @Test
    void roundTripKeepsContentPositionsAndSecrets() throws Exception {
        RuleGroup group = RuleFileParser.parse("t", "dir/ns.yaml", """
                groups:
                  - name: g
                    interval: 30s
                    query_offset: 0s
                    limit: 5
                    labels: {team: "é"}
                    rules:
                      - record: r
                        expr: sum by (job) (rate(x[5m]))
                        labels: {a: b}
                      - alert: A
                        expr: up == 0
                    remote_write:
                      - url: http://u:p@host:9090/push
                        name: n
                        headers: {X-Scope-OrgID: other}
                        remote_timeout: 7s
                      - url: http://plain/
                """).groups().get(0);
        RuleGroup copy = decode(encode(group));
        assertEquals(group, copy);
        assertEquals(group.sourceFile(), copy.sourceFile());
        assertEquals(0, copy.queryOffsetMs());
        assertEquals(group.rules().get(0).exprLine(), copy.rules().get(0).exprLine());
        assertEquals(group.rules().get(0).exprColumn(), copy.rules().get(0).exprColumn());
        assertNull(copy.rules().get(0).alert());
        assertNull(copy.rules().get(1).record());
        assertEquals("p", copy.remoteWrite().get(0).basicAuthPassword());
        assertNull(copy.remoteWrite().get(1).basicAuthUsername());
        assertEquals(7, copy.remoteWrite().get(0).remoteTimeout().toSeconds());
    }

    @Test
    void longExpressionsBeyondWriteUtfLimit() throws Exception {
        String expr = "x" + " + x".repeat(20_000);
        RuleGroup group = new RuleGroup("t", "ns", "g", 0, -1, 0,
                java.util.List.of(Rule.recording("r", expr, java.util.Map.of())), java.util.List.of(), "", java.util.Map.of());
        assertEquals(expr, decode(encode(group)).rules().get(0).expr());
    }

    @Test
    void unknownVersionIsRejected() {
        assertThrows(IOException.class, () -> decode(new byte[] {9}));
    }
}
