#!/usr/bin/python3
"""A minimal kubelet for tests: the CRI runtime.v1 calls that make, inspect
and remove pods and containers, sent to a containerd's CRI plugin over gRPC.

    cri.py SOCKET version                      runtime name, version, API
    cri.py SOCKET image REF                    the image's ID (exit 1 if absent)
    cri.py SOCKET runp POD.json                RunPodSandbox; prints the pod ID
    cri.py SOCKET create POD_ID CTR.json POD.json
                                               CreateContainer; prints its ID
    cri.py SOCKET start ID                     StartContainer
    cri.py SOCKET inspectp ID                  PodSandboxStatus (verbose), JSON
    cri.py SOCKET pods                         "ID NAMESPACE/NAME STATE" lines
    cri.py SOCKET stopp ID... / rmp ID...      StopPodSandbox / RemovePodSandbox

POD.json is a PodSandboxConfig and CTR.json a ContainerConfig, in the
protobuf JSON mapping (camelCase or the proto's names). The Python stubs
are generated from runtime.proto (beside this file) at each run, into a
temporary directory: nothing generated is kept.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def load_stubs():
    gen = tempfile.mkdtemp(prefix="nj-cri-")
    try:
        subprocess.run([sys.executable, "-m", "grpc_tools.protoc", "-I", HERE,
                        "--python_out", gen, "--grpc_python_out", gen,
                        "runtime.proto"], check=True)
        sys.path.insert(0, gen)
        import runtime_pb2
        import runtime_pb2_grpc
    finally:
        shutil.rmtree(gen, ignore_errors=True)
    return runtime_pb2, runtime_pb2_grpc


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    import grpc
    from google.protobuf import json_format
    pb, rpc = load_stubs()
    sock, cmd, args = argv[1], argv[2], argv[3:]
    chan = grpc.insecure_channel("unix://" + sock)
    rt = rpc.RuntimeServiceStub(chan)
    im = rpc.ImageServiceStub(chan)
    timeout = 120  # RunPodSandbox on two busy cores: CNI, shim, runc

    def msg(cls, path):
        with open(path) as f:
            return json_format.Parse(f.read(), cls())

    if cmd == "version":
        v = rt.Version(pb.VersionRequest(version="v1"), timeout=timeout)
        print(v.runtime_name, v.runtime_version, v.runtime_api_version)
    elif cmd == "image":
        r = im.ImageStatus(pb.ImageStatusRequest(image=pb.ImageSpec(image=args[0])),
                           timeout=timeout)
        if not r.image.id:
            return 1
        print(r.image.id)
    elif cmd == "runp":
        r = rt.RunPodSandbox(pb.RunPodSandboxRequest(
            config=msg(pb.PodSandboxConfig, args[0])), timeout=timeout)
        print(r.pod_sandbox_id)
    elif cmd == "create":
        r = rt.CreateContainer(pb.CreateContainerRequest(
            pod_sandbox_id=args[0], config=msg(pb.ContainerConfig, args[1]),
            sandbox_config=msg(pb.PodSandboxConfig, args[2])), timeout=timeout)
        print(r.container_id)
    elif cmd == "start":
        rt.StartContainer(pb.StartContainerRequest(container_id=args[0]),
                          timeout=timeout)
    elif cmd == "inspectp":
        r = rt.PodSandboxStatus(pb.PodSandboxStatusRequest(
            pod_sandbox_id=args[0], verbose=True), timeout=timeout)
        out = json_format.MessageToDict(r.status, preserving_proto_field_name=True)
        out["info"] = {k: json.loads(v) for k, v in r.info.items()}
        print(json.dumps(out))
    elif cmd == "pods":
        for p in rt.ListPodSandbox(pb.ListPodSandboxRequest(), timeout=timeout).items:
            print(p.id, "%s/%s" % (p.metadata.namespace, p.metadata.name),
                  pb.PodSandboxState.Name(p.state))
    elif cmd in ("stopp", "rmp"):
        for i in args:
            if cmd == "stopp":
                rt.StopPodSandbox(pb.StopPodSandboxRequest(pod_sandbox_id=i),
                                  timeout=timeout)
            else:
                rt.RemovePodSandbox(pb.RemovePodSandboxRequest(pod_sandbox_id=i),
                                    timeout=timeout)
    else:
        sys.exit("cri.py: unknown command %s" % cmd)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except Exception as e:  # grpc.RpcError among them: one line, exit 1
        msg = e.details() if hasattr(e, "details") else str(e)
        sys.exit("cri.py: %s: %s" % (sys.argv[2] if len(sys.argv) > 2 else "", msg))
