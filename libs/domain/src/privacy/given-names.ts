/**
 * French given names, as a string split once at load so the lexicon costs little in the web
 * bundle. Written for this detector from the given names common in France: those of the people
 * interns meet (born from the 1920s on, so Lucienne, Gérard and Josiane beside Lucas, Léa, Inès,
 * Mohamed and Yanis), with compound names listed when frequent; any other compound of listed
 * names (Marie-Solène) is recognised part by part. Accents are kept for reading; the lookup
 * ignores them and the case.
 */
export const FEMALE_GIVEN_NAMES = `
Abigaëlle Ada Adélaïde Adèle Adélie Adeline Adelphine Adriana Adrienne Agathe Aglaé Agnès Aïcha Aida
Aïda Aimée Aïna Alba Albane Alberte Albertine Alexandra Alexandrine Alexia Alexine Alice Alicia
Alida Aline Alix Aliya Alizée Allison Alma Alphonsine Alya Alyssa Amanda Amandine Amaya Ambre
Ambrine Amel Amélia Amélie Amina Aminata Amira Amparo Anaé Anaëlle Anaïs Anaïse Anastasia Andréa
Andrée Ange Angéla Angèle Angelina Angélina Angélique Anissa Anna Annabel Annabella Annabelle Annaïg
Anne Anne-Cécile Anne-Charlotte Anne-Claire Anne-Françoise Anne-Gaëlle Anne-Laure Anne-Lise Anne-
Marie Anne-Sophie Annette Annick Annie Anouchka Anouk Anthéa Antoinette Antonella Antonia Apolline
Ariane Arielle Arlène Arlette Armance Armande Armelle Asma Assa Assia Astrid Athénaïs Aubane Aude
Audrey Augusta Augustine Aurélia Aurélie Aurore Ava Axelle Aya Ayana Aylin Ayline Babette Barbara
Béatrice Bélinda Bénédicte Benoîte Bérangère Bérénice Bernadette Berthe Bertille Bettina Blanche
Brigitte Camélia Candice Capucine Carine Carla Carmela Carmélie Carmen Carole Caroline Cassandra
Cassandre Cassie Catherine Cathy Cécile Cécilia Céleste Célestine Célia Célina Céline Célya Chanel
Chantal Charlène Charlie Charline Charlotte Chiara Chloé Christel Christèle Christelle Christiane
Christine Cindy Cinthia Claire Clara Clarisse Claude Claudette Claudia Claudie Claudine Clélia
Clémence Clémentine Cléo Cloé Clothilde Clotilde Colette Coline Concetta Conchita Constance Cora
Coralie Corentine Corinne Cosette Cristina Cynthia Cyrielle Daisy Dalia Dalila Danaé Daniela Danièle
Danielle Dany Daphné Déborah Delia Delphine Denise Désirée Diana Diane Dina Djamila Dolores
Dominique Donatienne Dora Doriane Dorine Dorothée Eden Edith Édith Edmée Edwige Églantine Eléa Éléa
Eléna Eléonore Éléonore Élia Eliane Éliane Éliette Elina Élina Éline Elisa Élisa Elisabeth Élisabeth
Elise Élise Ella Ellie Elma Elodie Élodie Eloïse Éloïse Elsa Elvira Elvire Elya Emeline Émeline
Émeraude Émilia Emilie Émilie Emilienne Émilienne Emma Emmanuelle Emmeline Emy Enora Erika Ernestine
Esméralda Estela Estelle Esther Ethel Eugénia Eugénie Eulalie Eunice Eva Ève Evelyne Évelyne
Fabienne Fabiola Fadila Fanny Farah Fatiha Fatima Fatoumata Faustine Félicie Félicité Fernanda
Fernande Fiona Flavia Flavie Fleur Flora Florence Florentine Floriane Florine Francesca Francine
Françoise Frédérique Gabriela Gabrielle Gaby Gaëlle Gaétane Garance Geneviève Georgette Georgia
Georgina Germaine Ghislaine Gilberte Gilda Ginette Giovanna Gisèle Giulia Gloria Graziella Gwenaëlle
Gwendoline Gwenn Gwenola Gwladys Halima Hanna Hannah Hawa Hélèna Héléna Hélène Héloïse Henriette
Hermance Hermine Hiba Hilda Honorine Hortense Huguette Ida Ilana Iléana Ilona Ilyana Imane Inaya
Inès Ingrid Irène Iris Irma Isabeau Isabella Isabelle Isadora Isaure Isis Jacinthe Jacqueline Jade
Janine Jasmine Jeanine Jeanne Jeanne-Marie Jeannette Jeannine Jennifer Jenny Jessica Jessy Joanna
Jocelyne Joëlle Johanna Josée Josépha Josèphe Joséphine Josette Josiane Josie Joy Judith Julia
Juliana Julie Julienne Juliette Justina Justine Kahina Kaina Kaïna Karen Karima Karine Katell Katia
Kelly Kenza Khadija Kimberley Laetitia Laly Lamia Lana Latifa Laura Laure Laurence Laurie Laurine
Layana Léa Léana Léandra Léane Leila Leïla Léna Lénaïg Léone Léonie Léontine Léopoldine Liana Lila
Lilas Lili Lilia Liliane Lilianne Lilou Lily Lina Linda Lindsay Line Lisa Lisandra Lise Livia Lola
Lorène Lorette Lorraine Lou Lou-Anne Louane Louisa Louise Louise-Marie Louisette Louna Lætitia Luce
Lucette Lucia Lucie Lucienne Lucile Lucinda Ludivine Luna Lya Lydia Lydie Lyna Lysiane Maddalena
Madeleine Madison Maëla Maelia Maëline Maëlle Maëlys Maëva Magali Magalie Mahaut Mahé Maïa Maïlys
Maïssa Maïwen Maïwenn Malak Malika Malvina Manon Manuela Manuella Marceline Marcelle Marcelline
Margaret Margaux Margot Marguerite Maria Maria-José Mariam Mariane Marianna Marianne Marie Marie-
Agnès Marie-Alix Marie-Amélie Marie-Ange Marie-Anne Marie-Aude Marie-Catherine Marie-Cécile Marie-
Chantal Marie-Christine Marie-Claude Marie-Dominique Marie-Élise Marie-Émilie Marie-Eve Marie-Ève
Marie-France Marie-Françoise Marie-Hélène Marie-Jeanne Marie-José Marie-Josée Marie-Joseph Marie-
Laure Marie-Line Marie-Lou Marie-Louise Marie-Madeleine Marie-Noëlle Marie-Odile Marie-Paule Marie-
Pierre Marie-Rose Marie-Sophie Marie-Thérèse Marielle Marilyne Marina Marine Marinette Marion Marisa
Marjolaine Marjorie Marlène Marthe Martine Maryam Marylène Maryline Maryse Mathéa Mathilde Maud
Mauricette Maxime Maya Maylis Mélanie Mélia Mélina Méline Mélissa Mélodie Mélusine Mercedes Meriem
Mia Micaela Michèle Micheline Michelle Mila Mina Mireia Mireille Monica Monique Morgan Morgane
Muriel Murielle Myla Myriam Myriem Nadège Nadia Nadine Nadira Naëlle Nahia Naïla Naima Naïma Nancy
Naomi Natacha Nathalie Nawel Nayla Nélia Nelly Nesrine Nicole Nina Ninon Noa Noëlle Noémie Nolwen
Nolwenn Nora Norah Norma Nour Nourhane Océane Octavie Odette Odile Olivia Olympe Ophélie Orlane
Ornella Paloma Paola Pascale Pascaline Patricia Paula Paule Paulette Pauline Pénélope Perrine
Philippine Philomène Pia Pierrette Prisca Priscilla Rabia Rachel Rachida Radia Raïssa Rania
Raphaëlle Raymonde Rebecca Rébecca Régina Régine Reine Renée Rita Rolande Romane Romy Rosa Rosalia
Rosalie Rosanna Rose Rose-Marie Roseline Roselyne Rosemarie Rosette Rosine Roxane Rozenn Sabah
Sabine Sabrina Sacha Salma Salomé Samah Samia Samira Sandra Sandrine Sandy Sara Sarah Ségolène Selma
Séraphine Séverine Shaïna Shirley Sidonie Silvia Simone Simonne Sirine Sixtine Soazig Sofia Soizic
Solange Solène Soline Sonia Sophie Soraya Souad Stella Stéphanie Suzanne Suzette Suzon Suzy Sybille
Sylvaine Sylviane Sylvie Tania Tatiana Teresa Thaïs Thalia Théa Thelma Thérésa Thérèse Tiphaine
Ursula Valentina Valentine Valérie Vanessa Vanina Vera Véra Véronique Victoire Victoria Victorine
Vinciane Violette Virginie Viviane Wafa Wanda Wassila Wendy Yaël Yaëlle Yamina Yannick Yasmina
Yasmine Yolaine Yolande Yousra Ysé Yseult Yvelise Yvette Yvonne Zahra Zélie Zéphyrine Zineb Zoé
Zohra
`;

export const MALE_GIVEN_NAMES = `
Aaron Abdallah Abdel Abdelaziz Abdelhak Abdelkader Abdelkrim Abdellah Abdelmalek Abderrahmane Abdou
Abdoulaye Abel Achille Achour Adam Adama Adel Adolphe Adrian Adrien Agostino Ahmed Ahmed-Amine Aimé
Aimeric Alain Alaric Alban Albéric Albert Alberto Aldo Alessandro Alessio Alexandre Alexis Alfred
Ali Alix Alphonse Amadou Amaury Ambroise Amédée Amine Amir Anatole André Andrea Andréa Ange Ange-
Marie Angelo Anis Anselme Anthony Antoine Antonin Antonio Apollinaire Aristide Armand Armel Arnaud
Arnold Arsène Arthur Aubert Aubin Auguste Augustin Aurèle Aurélien Axel Ayden Aylan Ayoub Aziz
Baptiste Barnabé Basile Bastien Baudouin Benedict Benjamin Benoit Benoît Bernard Bertin Bertrand
Bienvenu Bilal Blaise Boris Boubacar Brahim Brandon Brian Brice Brieuc Bruno Bryan Calixte Camille
Carlos Casimir Cédric Célestin César Charles Charles-Édouard Charles-Henri Charlie Charly Cheikh
Christian Christophe Christopher Claude Clément Clovis Colin Côme Corentin Cyprien Cyriaque Cyril
Cyrille Damien Daniel Dany Dario David Denis Désiré Didier Dieudonné Dimitri Djamel Dominique
Donatien Dorian Driss Dylan Eden Edgar Edgard Edmond Edouard Édouard Elian Élian Elias Elie Élie
Eliès Eliott Éliott Eloi Éloi Emeric Émeric Emile Émile Emilien Émilien Emilio Emmanuel Enguerrand
Enzo Eric Éric Ernest Ernesto Erwan Erwann Esteban Ethan Etienne Étienne Eudes Eugène Evan Évan
Evrard Ewen Fabien Fabio Fabrice Fabrizio Farid Faustin Félicien Félix Ferdinand Fernand Fernando
Fidèle Filipe Firmin Flavien Florent Florentin Florian Francesco Francis Francisco Franck François
François-Xavier Frantz Frédéric Fulbert Gabin Gabriel Gabriele Gaby Gaël Gaétan Gaëtan Gaspard
Gaston Gauthier Gautier Geoffrey Geoffroy Georges Gérald Gérard Germain Gérôme Gervais Ghislain
Gianni Gilbert Gilles Gino Giovanni Giuseppe Godefroy Gontran Gonzague Goulven Grégoire Grégory
Guénolé Guilhem Guillaume Gurvan Gustave Guy Gwenaël Gwendal Habib Hadrien Hakim Hamid Hamza Haroun
Harouna Harry Hassan Hector Helmut Henri Henry Herbert Hervé Hicham Hilaire Hippolyte Hocine Honoré
Horace Hubert Hugo Hugues Ibrahim Ibrahima Idriss Ignace Igor Ilan Ilias Ilyan Ilyes Ilyès Isaac
Isidore Ismaël Ivan Jacky Jacob Jacques Jacques-Henri Jaime James Jason Jean Jean-Baptiste Jean-
Bernard Jean-Charles Jean-Christophe Jean-Claude Jean-Daniel Jean-Denis Jean-Édouard Jean-Eudes
Jean-François Jean-Gabriel Jean-Guy Jean-Hugues Jean-Jacques Jean-Joseph Jean-Lou Jean-Louis Jean-
Luc Jean-Marc Jean-Marie Jean-Max Jean-Michel Jean-Noël Jean-Paul Jean-Philippe Jean-Pierre Jean-
Rémi Jean-René Jean-Sébastien Jean-Théo Jean-Victor Jean-Yves Jérémias Jérémie Jérémy Jérôme Jimmy
Joachim Joan Joaquim Joël Joffrey Johan Johann Jonas Jonathan Jordan Jordi Joris José Joseph Joshua
Josselin Josué Juan Jules Julien Julio Justin Kader Kaïs Kamel Karim Kenzo Kevin Kévin Khalid Kilian
Killian Kylan Kylian Kyllian Ladislas Lahcen Lambert Lamine Larbi Laurent Laurentin Lazare Léandre
Lenny Léo Léon Léonard Léonce Léopold Liam Lilian Lino Lionel Loïc Loïg Loïs Lorenzo Loris Lothaire
Louis Louis-Marie Louis-Philippe Loup Luc Luca Lucas Lucien Ludovic Luigi Lyam Maé Maël Malik Malo
Malone Mamadou Manuel Marc Marc-André Marc-Antoine Marc-Olivier Marceau Marcel Marcelin Marcellin
Marco Marino Mario Marius Marley Martin Mateo Matéo Mathéo Mathias Mathieu Mathis Mathurin Mathys
Matthieu Maurice Maurin Max Maxence Maxens Maxime Maximilien Médard Médéric Mehdi Melchior Michaël
Michel Mickael Mickaël Miguel Milan Modeste Modibo Mohamed Mohamed-Amine Mohammed Morgan Mouloud
Mourad Moussa Mustapha Nabil Nacer Naël Nassim Nathan Nathanaël Nelson Nestor Nicodème Nicolas Nino
Noah Noam Noé Noël Nolan Norbert Octave Olivier Omar Orlando Oscar Oumar Ousmane Owen Pablo Pacôme
Paolo Pascal Patrice Patrick Paul Paul-Antoine Paul-Emile Paul-Émile Paul-Henri Paulin Pedro
Philibert Philippe Pierre Pierre-Alain Pierre-Alexandre Pierre-André Pierre-Antoine Pierre-Emmanuel
Pierre-Henri Pierre-Jean Pierre-Louis Pierre-Luc Pierre-Marie Pierre-Olivier Pierre-Yves Pierrick
Placide Prosper Quentin Rachid Rafael Rafaël Raoul Raphaël Rayan Raymond Redouane Régis Rémi Rémy
Renaud René Ricardo Richard Robert Roberto Robin Rodolphe Rodrigue Roger Roland Rolland Romain
Romaric Romuald Ronan Rosario Ruben Rudolph Rudy Ryan Sacha Said Saïd Salim Salvador Salvatore Sami
Samir Samson Samuel Sandro Sauveur Sébastien Sékou Serge Séverin Seydou Simon Sixte Slimane Sofiane
Sohan Souleymane Stanislas Stefan Stéphane Steve Steven Sylvain Sylvère Sylvestre Tancrède Tanguy
Tarek Teddy Théo Théodore Théodule Théophile Thibault Thibaut Thierry Thomas Tiago Timéo Timothée
Titouan Tom Tony Toussaint Tristan Tugdual Ulysse Urbain Valentin Valère Valéry Vasco Venceslas
Victor Victorien Vincent Virgile Vital Vivien Walid Wassim Wilfrid Wilfried William Xavier Yacine
Yanis Yann Yannick Yannig Yannis Yasser Yassine Yassir Yoan Yoann Yohan Yoni Youcef Younès Youri
Youssef Yvan Yves Yvon Yvonnick Zacharie Zakaria Zéphirin Zinedine
`;
