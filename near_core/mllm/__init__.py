"""Label stage: name images with a multimodal LLM served over the OpenAI API (vLLM).

- :mod:`~near_core.mllm.client`: async batched chat-completions client (retries, concurrency,
  structured output adapter keyed on the server's vLLM version).
- :mod:`~near_core.mllm.prompts`: versioned prompt templates.
- :mod:`~near_core.mllm.parse`: raw answer -> candidate names.
- :mod:`~near_core.mllm.labeler`: the cached, resumable label stage over a run store.
- :mod:`~near_core.mllm.batchio`: import answers made elsewhere, export pending requests for
  ``vllm run-batch``.
"""

from near_core.mllm.batchio import ImportSummary, export_batch, import_answers
from near_core.mllm.client import (
    Completion,
    MLLMClient,
    MLLMError,
    MLLMRequestError,
    MLLMUnavailable,
    Sampling,
    encode_image,
    request_body,
    structured_fields,
)
from near_core.mllm.labeler import (
    LabelSummary,
    label_images,
    label_images_async,
    label_targets,
    missing_samples,
    sample_for_labeling,
)
from near_core.mllm.parse import parse_answer, parse_structured
from near_core.mllm.prompts import (
    Prompt,
    PromptTemplate,
    load_template,
    meta_prompt,
    naming_prompt,
)

__all__ = [
    "Completion",
    "ImportSummary",
    "LabelSummary",
    "MLLMClient",
    "MLLMError",
    "MLLMRequestError",
    "MLLMUnavailable",
    "Prompt",
    "PromptTemplate",
    "Sampling",
    "encode_image",
    "export_batch",
    "import_answers",
    "label_images",
    "label_images_async",
    "label_targets",
    "load_template",
    "meta_prompt",
    "missing_samples",
    "naming_prompt",
    "parse_answer",
    "parse_structured",
    "request_body",
    "sample_for_labeling",
    "structured_fields",
]
