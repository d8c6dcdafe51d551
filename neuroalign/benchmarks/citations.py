"""BibTeX of the methods the first-party benchmarks rest on (the data's own citations come from their manifests)."""

NILI2014 = """@article{nili2014toolbox,
  title   = {A toolbox for representational similarity analysis},
  author  = {Nili, Hamed and Wingfield, Cai and Walther, Alexander and Su, Li and Marslen-Wilson, William and
             Kriegeskorte, Nikolaus},
  journal = {PLoS Computational Biology},
  volume  = {10},
  number  = {4},
  pages   = {e1003553},
  year    = {2014},
  doi     = {10.1371/journal.pcbi.1003553}
}"""

WALTHER2016 = """@article{walther2016reliability,
  title   = {Reliability of dissimilarity measures for multi-voxel pattern analysis},
  author  = {Walther, Alexander and Nili, Hamed and Ejaz, Naveed and Alink, Arjen and Kriegeskorte, Nikolaus and
             Diedrichsen, J{\\"o}rn},
  journal = {NeuroImage},
  volume  = {137},
  pages   = {188--200},
  year    = {2016},
  doi     = {10.1016/j.neuroimage.2015.12.012}
}"""

GROOTSWAGERS2017 = """@article{grootswagers2017decoding,
  title   = {Decoding dynamic brain patterns from evoked responses: a tutorial on multivariate pattern analysis
             applied to time series neuroimaging data},
  author  = {Grootswagers, Tijl and Wardle, Susan G. and Carlson, Thomas A.},
  journal = {Journal of Cognitive Neuroscience},
  volume  = {29},
  number  = {4},
  pages   = {677--697},
  year    = {2017},
  doi     = {10.1162/jocn_a_01068}
}"""
