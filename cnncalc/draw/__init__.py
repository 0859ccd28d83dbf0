"""Pictures: PNG heat maps, marked answers and GIF animations (Pillow, imported lazily).

``canvas`` holds the drawing primitives, ``layout`` panels and words, ``heatmap``
the map pictures, ``marked`` answers with wrong cells outlined, ``animation``,
``frames`` and ``gif`` the sliding-kernel GIF.
"""
