"""A small DDP job: checks the environment contract and an all-reduce, then trains a tiny model.

Run by examples/training/pytorch-ddp.yaml; every replica gets MASTER_ADDR, MASTER_PORT,
WORLD_SIZE and RANK from Capstan and joins one gloo process group.
"""
import os
import sys

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel as DDP


def main() -> int:
    world_size = int(os.environ["WORLD_SIZE"])
    rank = int(os.environ["RANK"])
    dist.init_process_group("gloo", init_method="env://")
    if dist.get_world_size() != world_size:
        print(f"world_size mismatch: torch {dist.get_world_size()} env {world_size}", file=sys.stderr)
        return 2

    # all_reduce of each rank's (rank + 1) must equal 1 + 2 + ... + world_size on every rank.
    t = torch.tensor([float(rank + 1)])
    dist.all_reduce(t)
    expected = world_size * (world_size + 1) / 2
    if t.item() != expected:
        print(f"all_reduce gave {t.item()}, expected {expected}", file=sys.stderr)
        return 3
    print(f"rank {rank}/{world_size}: all_reduce ok ({t.item()})")

    torch.manual_seed(0)
    model = DDP(torch.nn.Linear(8, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    generator = torch.Generator().manual_seed(1234 + rank)
    true_w = torch.arange(8, dtype=torch.float32).unsqueeze(1) / 8
    steps = int(os.environ.get("STEPS", "30"))
    for step in range(1, steps + 1):
        x = torch.randn(64, 8, generator=generator)
        y = x @ true_w
        loss = torch.nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if rank == 0 and (step % 5 == 0 or step == steps):
            print(f"step={step} loss={loss.item():.6f}")
    dist.barrier()
    dist.destroy_process_group()
    return 0


if __name__ == "__main__":
    sys.exit(main())
