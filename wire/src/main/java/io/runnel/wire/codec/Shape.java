package io.runnel.wire.codec;

import io.runnel.wire.model.Required;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How one model record maps to the wire: its fields in declaration order, each with its API name, kind and accessor,
 * and the canonical constructor. Built once per record class (see {@link #of}) from the record's components, so
 * the codec needs no hand-written code per shape.
 */
final class Shape {
    enum Kind { STRING, INTEGER, LONG, BOOLEAN, INSTANT, BYTES, LIST, MAP, RECORD }

    /** One field: its API name, kind, and for lists the element kind and shape. */
    static final class Field {
        final String apiName;
        final String memberName;
        final Kind kind;
        final Kind elementKind;
        final Shape shape; // RECORD, or LIST of RECORD
        final boolean required;
        final MethodHandle accessor; // (Record) -> Object

        Field(String apiName, String memberName, Kind kind, Kind elementKind, Shape shape, boolean required,
                MethodHandle accessor) {
            this.apiName = apiName;
            this.memberName = memberName;
            this.kind = kind;
            this.elementKind = elementKind;
            this.shape = shape;
            this.required = required;
            this.accessor = accessor;
        }

        Object get(Record r) {
            try {
                return accessor.invoke(r);
            } catch (Throwable t) {
                throw new IllegalStateException("cannot read " + memberName, t);
            }
        }
    }

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            return new Shape(type);
        }
    };

    final Class<?> type;
    final Field[] fields;
    final Map<String, Integer> indexByApiName = new HashMap<>();
    /**
     * Whether a field is required here or in a record below: else a value has nothing to check beyond null elements.
     */
    final boolean hasRequired;
    private final MethodHandle constructor; // (Object[]) -> Object

    static Shape of(Class<?> type) {
        return SHAPES.get(type);
    }

    private Shape(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type + " is not a model record");
        }
        this.type = type;
        RecordComponent[] components = type.getRecordComponents();
        this.fields = new Field[components.length];
        Class<?>[] parameterTypes = new Class<?>[components.length];
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        try {
            for (int i = 0; i < components.length; i++) {
                RecordComponent c = components[i];
                parameterTypes[i] = c.getType();
                String member = c.getName();
                String api = Character.toUpperCase(member.charAt(0)) + member.substring(1);
                Kind kind = kindOf(c.getType());
                Kind elementKind = null;
                Shape shape = null;
                if (kind == Kind.LIST) {
                    Type element = ((ParameterizedType) c.getGenericType()).getActualTypeArguments()[0];
                    elementKind = kindOf((Class<?>) element);
                    if (elementKind == Kind.RECORD) {
                        shape = Shape.of((Class<?>) element);
                    }
                } else if (kind == Kind.RECORD) {
                    shape = Shape.of(c.getType());
                }
                MethodHandle accessor = lookup.unreflect(c.getAccessor())
                        .asType(MethodType.methodType(Object.class, Record.class));
                fields[i] = new Field(api, member, kind, elementKind, shape, c.isAnnotationPresent(Required.class),
                        accessor);
                indexByApiName.put(api, i);
            }
            boolean required = false;
            for (Field f : fields) {
                required |= f.required || (f.shape != null && f.shape.hasRequired);
            }
            this.hasRequired = required;
            Constructor<?> ctor = type.getDeclaredConstructor(parameterTypes);
            this.constructor = lookup.unreflectConstructor(ctor).asSpreader(Object[].class, components.length)
                    .asType(MethodType.methodType(Object.class, Object[].class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot map " + type, e);
        }
    }

    private static Kind kindOf(Class<?> c) {
        if (c == String.class) {
            return Kind.STRING;
        } else if (c == Integer.class) {
            return Kind.INTEGER;
        } else if (c == Long.class) {
            return Kind.LONG;
        } else if (c == Boolean.class) {
            return Kind.BOOLEAN;
        } else if (c == Instant.class) {
            return Kind.INSTANT;
        } else if (c == byte[].class) {
            return Kind.BYTES;
        } else if (c == List.class) {
            return Kind.LIST;
        } else if (c == Map.class) {
            return Kind.MAP;
        } else if (c.isRecord()) {
            return Kind.RECORD;
        }
        throw new IllegalArgumentException("no wire mapping for " + c);
    }

    Record create(Object[] values) {
        try {
            return (Record) constructor.invoke(values);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot create " + type.getSimpleName(), t);
        }
    }
}
