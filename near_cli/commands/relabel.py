"""`near relabel` and `near predict`: CLIP-only labeling (lands with issue #5)."""

from near_cli.common import add_config_args, add_run_arg, not_implemented


def register(sub) -> None:
    p = sub.add_parser("relabel", help="label new images with the trained CLIP classifier")
    p.add_argument("source", nargs="?", help="folder or text file of image paths")
    add_run_arg(p, required=False)
    add_config_args(p)
    p.set_defaults(func=not_implemented("relabel", 5))
    p = sub.add_parser("predict", help="print the label of each image with a classifier bundle")
    p.add_argument("images", nargs="*")
    p.add_argument("--bundle", help="classifier bundle directory")
    add_config_args(p)
    p.set_defaults(func=not_implemented("predict", 5))
