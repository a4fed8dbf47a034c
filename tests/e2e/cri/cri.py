#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A small CRI v1 client: what the kubelet sends to containerd's CRI plugin, one call at a time.

Debian 12 packages neither crictl nor a kubelet, so tests/e2e/cri.bats drives containerd with
this.  The stubs are generated at run time from cri.proto (this directory) with
python3-grpc-tools into $CRI_GEN_DIR (default: a directory next to the socket), and requests
and responses are JSON in the protobuf JSON mapping with the .proto field names, so the shell
builds requests with jq and reads responses with jq.

  cri.py SOCKET call METHOD [REQUEST_JSON]   RuntimeService or ImageService method; the request
                                             is the argument, or stdin when it is absent or "-";
                                             the response is printed as one JSON line
  cri.py SOCKET exec CONTAINER_ID CMD...     ExecSync: the command's stdout and stderr are
                                             written as they came back, the exit status is its own

A failed call prints {"error": {"code": "UNKNOWN", "details": "..."}} on stdout and exits 3:
`details` is the text the kubelet turns into the pod's event ("Failed to create pod sandbox:
rpc error: code = Unknown desc = <details>").  Other failures exit 2.
"""

import json
import os
import sys

EXIT_RPC_ERROR = 3
EXIT_USAGE = 2
HERE = os.path.dirname(os.path.abspath(__file__))


def generated_modules(socket):
    """Generate cri_pb2/cri_pb2_grpc from cri.proto (once per directory) and import them."""
    gen = os.environ.get("CRI_GEN_DIR") or os.path.join(os.path.dirname(socket), "cri-gen")
    if not os.path.exists(os.path.join(gen, "cri_pb2_grpc.py")):
        from grpc_tools import protoc

        os.makedirs(gen, exist_ok=True)
        tmp = gen + "/.tmp.%d" % os.getpid()
        os.makedirs(tmp)
        rc = protoc.main(["protoc", "-I" + HERE, "--python_out=" + tmp,
                          "--grpc_python_out=" + tmp, os.path.join(HERE, "cri.proto")])
        if rc != 0:
            sys.exit("cri.py: protoc failed on cri.proto (exit %d)" % rc)
        # pb2 first, grpc last: a concurrent reader waits for the file it checks above.
        for name in ("cri_pb2.py", "cri_pb2_grpc.py"):
            os.replace(os.path.join(tmp, name), os.path.join(gen, name))
        os.rmdir(tmp)
    sys.path.insert(0, gen)
    import cri_pb2
    import cri_pb2_grpc

    return cri_pb2, cri_pb2_grpc


def find_method(pb2, rpc, name):
    """(stub class, request class) of RuntimeService.NAME or ImageService.NAME."""
    for service in ("RuntimeService", "ImageService"):
        desc = pb2.DESCRIPTOR.services_by_name[service]
        method = desc.methods_by_name.get(name)
        if method is not None:
            stub = getattr(rpc, service + "Stub")
            return stub, getattr(pb2, method.input_type.name)
    sys.exit("cri.py: no method %s in cri.proto" % name)


def rpc_error(err):
    import grpc

    code = err.code() if isinstance(err, grpc.Call) else None
    body = {"code": code.name if code else "UNKNOWN", "details": err.details() or str(err)}
    print(json.dumps({"error": body}))
    sys.exit(EXIT_RPC_ERROR)


def call(socket, pb2, rpc, name, request_text, timeout=120):
    import grpc
    from google.protobuf import json_format

    stub_class, request_class = find_method(pb2, rpc, name)
    request = json_format.Parse(request_text or "{}", request_class())
    channel = grpc.insecure_channel("unix://" + socket)
    try:
        response = getattr(stub_class(channel), name)(request, timeout=timeout)
    except grpc.RpcError as err:
        rpc_error(err)
    finally:
        channel.close()
    return response


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    socket, verb = argv[1], argv[2]
    pb2, rpc = generated_modules(socket)
    if verb == "call" and len(argv) in (4, 5):
        text = argv[4] if len(argv) == 5 and argv[4] != "-" else sys.stdin.read()
        from google.protobuf import json_format

        response = call(socket, pb2, rpc, argv[3], text)
        # Every field, defaults included: SANDBOX_READY and CONTAINER_CREATED are the zero values.
        body = json_format.MessageToDict(response, preserving_proto_field_name=True,
                                         including_default_value_fields=True)
        print(json.dumps(body))
        return 0
    if verb == "exec" and len(argv) >= 5:
        request = json.dumps({"container_id": argv[3], "cmd": argv[4:], "timeout": 60})
        response = call(socket, pb2, rpc, "ExecSync", request)
        sys.stdout.buffer.write(response.stdout)
        sys.stderr.buffer.write(response.stderr)
        return response.exit_code
    print(__doc__, file=sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main(sys.argv))
