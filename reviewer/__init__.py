"""reviewer: turn Ofsted inspection letters into reviewed, structured findings."""

__version__ = "0.1.0"
