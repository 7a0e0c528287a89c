# Builds bpf_native.node against the system libbpf found by pkg-config. The shared libbpf.so.1 is linked
# on purpose: Debian's libbpf.a is not position-independent and cannot go into a shared object.
{
  'targets': [
    {
      'target_name': 'bpf_native',
      'sources': [
        'native/addon.cc',
        'native/bpf_error.cc',
        'native/libbpf_log.cc',
        'native/bpf_object.cc',
        'native/map_layout.cc',
        'native/btf_describe.cc',
        'native/map_reader.cc',
        'native/section_handlers.cc',
        'native/event_buffers.cc',
        'native/capabilities.cc',
        'native/sd_notify.cc',
        'native/cgroup_watch.cc',
        'native/integer_lines.cc',
      ],
      'dependencies': ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
      'cflags_cc': ['-std=c++17', '-Wextra', '<!@(pkg-config --cflags libbpf)'],
      'libraries': ['<!@(pkg-config --libs libbpf)'],
      # Keep post_attach_mark visible so BPF can hook it with a uprobe on this .node file.
      'cflags_cc!': ['-fvisibility=hidden'],
    },
  ],
}
