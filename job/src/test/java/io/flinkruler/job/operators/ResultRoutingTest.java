package io.flinkruler.job.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkruler.rules.RemoteWriteConfig;
import io.flinkruler.rules.Rule;
import io.flinkruler.rules.RuleGroup;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultRoutingTest {
    private static final RemoteWriteConfig TENANT = RemoteWriteConfig.ofUrl("http://127.0.0.1:1/api/v1/write");
    private static final RemoteWriteConfig OWN = RemoteWriteConfig.ofUrl("http://127.0.0.1:2/own");

    private static RuleGroup group(List<RemoteWriteConfig> remoteWrite) {
        return new RuleGroup("t1", "ns", "g", 60_000, -1, 0, List.of(Rule.recording("r", "up", Map.of())), remoteWrite,
                "t1/ns.yaml", Map.of());
    }

    @Test
    void aGroupsOwnEndpointsWinOverTheTenantsUnlessDisabled() {
        assertEquals(List.of(OWN), ResultRouting.toEndpoints(TENANT).targets(group(List.of(OWN))));
        assertEquals(List.of(TENANT.withHeader("X-Scope-OrgID", "t1")), ResultRouting.toEndpoints(TENANT).targets(group(List.of())));
        ResultRouting disabled = new ResultRouting(TENANT, false, false);
        assertEquals(List.of(TENANT.withHeader("X-Scope-OrgID", "t1")), disabled.targets(group(List.of(OWN))));
        assertTrue(disabled.describe(group(List.of(OWN))).contains("ruler.remote_write.enabled is false"));
    }

    @Test
    void withoutAnyEndpointAGroupIsOnlyEvaluatedUnlessResultsGoToAFile() {
        assertFalse(ResultRouting.toEndpoints(null).delivers(group(List.of())));
        assertTrue(ResultRouting.toEndpoints(null).delivers(group(List.of(OWN))));
        assertFalse(new ResultRouting(null, false, false).delivers(group(List.of(OWN))));
        assertTrue(new ResultRouting(null, true, true).delivers(group(List.of())), "a backfill's --output takes every group");
    }
}
