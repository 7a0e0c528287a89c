#include "btf_describe.h"

#include <string>

#include "map_layout.h"

namespace bpf_native {

namespace {

// Keys and values are a few levels deep at most; the limit only stops a hostile or cyclic BTF.
constexpr int kMaxDepth = 8;
// Enough for any static_map a human would write; an enum longer than this is cut, not an error.
constexpr unsigned kMaxEnumValues = 256;

std::string NameOf(const struct btf* btf, const struct btf_type* type) {
  const char* name = btf__name_by_offset(btf, type->name_off);
  return name != nullptr ? name : "";
}

// How C spells the type with this id: typedef names are kept (they are what the source says), const and
// volatile are dropped, structs get their keyword.
std::string Spelling(const struct btf* btf, __u32 id, int depth = 0) {
  const struct btf_type* type = btf__type_by_id(btf, id);
  if (type == nullptr || depth > kMaxDepth) return "?";
  if (id == 0) return "void";
  std::string name = NameOf(btf, type);
  switch (btf_kind(type)) {
    case BTF_KIND_STRUCT:
      return "struct " + (name.empty() ? std::string("(anon)") : name);
    case BTF_KIND_UNION:
      return "union " + (name.empty() ? std::string("(anon)") : name);
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64:
      return "enum " + (name.empty() ? std::string("(anon)") : name);
    case BTF_KIND_PTR:
      return Spelling(btf, type->type, depth + 1) + " *";
    case BTF_KIND_CONST:
    case BTF_KIND_VOLATILE:
    case BTF_KIND_RESTRICT:
    case BTF_KIND_TYPE_TAG:
      return Spelling(btf, type->type, depth + 1);
    case BTF_KIND_ARRAY:
      return Spelling(btf, btf_array(type)->type, depth + 1);
    case BTF_KIND_FUNC_PROTO:
      return "fn";
    default:
      return name.empty() ? "?" : name;
  }
}

// Skips const/volatile/restrict/type tags and typedefs; 0 when the chain is broken.
__u32 Resolve(const struct btf* btf, __u32 id) {
  for (int hops = 0; hops < 32; hops++) {
    const struct btf_type* type = btf__type_by_id(btf, id);
    if (type == nullptr) return 0;
    if (!btf_is_mod(type) && !btf_is_typedef(type) && !btf_is_type_tag(type)) return id;
    id = type->type;
  }
  return 0;
}

Napi::Object Describe(Napi::Env env, const struct btf* btf, __u32 id, int depth);

Napi::Array Members(Napi::Env env, const struct btf* btf, const struct btf_type* type, int depth) {
  Napi::Array members = Napi::Array::New(env);
  const struct btf_member* member = btf_members(type);
  for (unsigned i = 0; i < btf_vlen(type); i++, member++) {
    Napi::Object out = Napi::Object::New(env);
    unsigned bit_offset = btf_member_bit_offset(type, i);
    unsigned bit_size = btf_member_bitfield_size(type, i);
    const char* name = btf__name_by_offset(btf, member->name_off);
    out.Set("name", name != nullptr ? name : "");
    out.Set("offset", bit_offset / 8);
    out.Set("bitSize", bit_size);
    out.Set("bitOffset", bit_size != 0 ? bit_offset % 8 : 0);
    out.Set("type", Describe(env, btf, member->type, depth + 1));
    members.Set(i, out);
  }
  return members;
}

Napi::Object Describe(Napi::Env env, const struct btf* btf, __u32 id, int depth) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("name", Spelling(btf, id));
  __s64 size = btf__resolve_size(btf, id);
  out.Set("size", size >= 0 ? static_cast<double>(size) : 0);
  __u32 resolved = Resolve(btf, id);
  const struct btf_type* type = resolved != 0 ? btf__type_by_id(btf, resolved) : nullptr;
  if (type == nullptr || depth > kMaxDepth) {
    out.Set("kind", "other");
    return out;
  }
  switch (btf_kind(type)) {
    case BTF_KIND_INT: {
      __u8 encoding = btf_int_encoding(type);
      out.Set("kind", "int");
      out.Set("signed", (encoding & BTF_INT_SIGNED) != 0);
      // A text character, not a byte: `unsigned char` (u8, __u8) is how C spells a byte.
      std::string name = NameOf(btf, type);
      out.Set("char", (encoding & BTF_INT_CHAR) != 0 || name == "char" || name == "signed char");
      out.Set("bool", (encoding & BTF_INT_BOOL) != 0);
      break;
    }
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64: {
      out.Set("kind", "enum");
      out.Set("signed", btf_kflag(type));
      Napi::Array values = Napi::Array::New(env);
      unsigned count = btf_vlen(type) < kMaxEnumValues ? btf_vlen(type) : kMaxEnumValues;
      for (unsigned i = 0; i < count; i++) {
        Napi::Object value = Napi::Object::New(env);
        __u32 name_off;
        std::string number;
        if (btf_is_enum(type)) {
          const struct btf_enum* e = btf_enum(type) + i;
          name_off = e->name_off;
          number =
              btf_kflag(type) ? std::to_string(static_cast<__s32>(e->val)) : std::to_string(static_cast<__u32>(e->val));
        } else {
          const struct btf_enum64* e = btf_enum64(type) + i;
          name_off = e->name_off;
          __u64 raw = btf_enum64_value(e);
          number = btf_kflag(type) ? std::to_string(static_cast<__s64>(raw)) : std::to_string(raw);
        }
        const char* name = btf__name_by_offset(btf, name_off);
        value.Set("name", name != nullptr ? name : "");
        value.Set("value", number);
        values.Set(i, value);
      }
      out.Set("values", values);
      break;
    }
    case BTF_KIND_FLOAT:
      out.Set("kind", "float");
      break;
    case BTF_KIND_PTR:
      out.Set("kind", "pointer");
      out.Set("target", Spelling(btf, type->type));
      break;
    case BTF_KIND_ARRAY: {
      const struct btf_array* array = btf_array(type);
      out.Set("kind", "array");
      out.Set("length", array->nelems);
      out.Set("element", Describe(env, btf, array->type, depth + 1));
      break;
    }
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION:
      out.Set("kind", btf_is_struct(type) ? "struct" : "union");
      out.Set("members", Members(env, btf, type, depth));
      break;
    default:
      out.Set("kind", "other");
      break;
  }
  return out;
}

}  // namespace

Napi::Object MapTypesToJs(Napi::Env env, const struct bpf_map* map, const struct btf* btf) {
  // The sizes as mapInfo() gives them (extra fields included), plus what BTF says about them.
  Napi::Object out = MapInfoToJs(env, DescribeMap(map));
  out.Set("internal", bpf_map__is_internal(map));
  if (btf != nullptr) {
    __u32 key = bpf_map__btf_key_type_id(map);
    __u32 value = bpf_map__btf_value_type_id(map);
    if (key != 0) out.Set("key", Describe(env, btf, key, 0));
    if (value != 0) out.Set("value", Describe(env, btf, value, 0));
  }
  return out;
}

}  // namespace bpf_native
