package io.flinkruler.rulesource;

import io.flinkruler.source.typeinfo.ValueTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.lang.reflect.Type;
import java.util.Map;

/** Tells Flink to use {@link RuleGroupChangeSerializer} for {@link RuleGroupChange}. */
public final class RuleGroupChangeTypeInfoFactory extends TypeInfoFactory<RuleGroupChange> {
    /** The type information; use it where Flink asks for explicit types. */
    public static final TypeInformation<RuleGroupChange> TYPE_INFO = new RuleGroupChangeTypeInfo();

    @Override
    public TypeInformation<RuleGroupChange> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return TYPE_INFO;
    }

    private static final class RuleGroupChangeTypeInfo extends ValueTypeInfo<RuleGroupChange> {
        private static final long serialVersionUID = 1L;

        RuleGroupChangeTypeInfo() {
            super(RuleGroupChange.class);
        }

        @Override
        protected TypeSerializer<RuleGroupChange> serializer() { return RuleGroupChangeSerializer.INSTANCE; }
    }
}
